package taintssa

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
)

// argText is how a message names argument i of a call (-1: the receiver).
func (s *callSite) argWhat(i int) string {
	if i < 0 {
		return "its object"
	}
	return fmt.Sprintf("argument %d", i+1)
}

// argNode is the vertex of argument i (-1: receiver) of view v: the argument with what it
// refers to, entering the call.
func (g *graph) argNode(v *call, i int) (int32, bool) {
	val := v.recv
	if i >= 0 {
		if i >= len(v.args) {
			return 0, false
		}
		val = v.args[i]
	}
	if val == nil {
		return 0, false
	}
	if _, isConst := val.(*ssa.Const); isConst {
		return 0, false
	}
	k := nodeKey{kind: nArg, i: v.site.idx, j: i, v: val}
	if n, ok := g.lookup(k); ok {
		return n, true
	}
	n := g.node(k)
	g.edge(g.deep(val), n, g.step(g.argStep(v.site, i, val)))
	return n, true
}

// argWide is argument i leaving analysed code: with the fields of its struct types.
func (g *graph) argWide(v *call, i int) (int32, bool) {
	a, ok := g.argNode(v, i)
	if !ok {
		return 0, false
	}
	k := nodeKey{kind: nArgWide, i: v.site.idx, j: i, v: g.nodes[a].v}
	if n, ok := g.lookup(k); ok {
		return n, true
	}
	n := g.node(k)
	g.edge(a, n, -1)
	g.addWide(n, valueTypes(g.nodes[a].v))
	return n, true
}

// argStep is the hop of a value passed to a call.
func (g *graph) argStep(s *callSite, i int, val ssa.Value) finding.Step {
	msg := fmt.Sprintf("passed to %s as %s", s.callee, s.argWhat(i))
	if s.expr != nil && i >= 0 && i < len(s.expr.Args) {
		return g.pkg.files.step(s.expr.Args[i], msg)
	}
	if s.expr != nil {
		if sel, ok := s.expr.Fun.(*ast.SelectorExpr); ok && i < 0 {
			return g.pkg.files.step(sel.X, msg)
		}
		return g.pkg.files.step(s.expr, msg)
	}
	return finding.Step{Location: s.loc, Message: msg}
}

// argOut is what view v writes through operand i (-1: receiver): it flows into everything
// the operand refers to.
func (g *graph) argOut(v *call, i int) (int32, bool) {
	val := v.recv
	if i >= 0 {
		if i >= len(v.args) {
			return 0, false
		}
		val = v.args[i]
	}
	if val == nil {
		return 0, false
	}
	if _, isConst := val.(*ssa.Const); isConst {
		return 0, false
	}
	k := nodeKey{kind: nArgOut, i: v.site.idx, j: i, v: val}
	if n, ok := g.lookup(k); ok {
		return n, true
	}
	n := g.node(k)
	what := brief(val.Name())
	if v.site.expr != nil && i >= 0 && i < len(v.site.expr.Args) {
		what = g.pkg.files.code(v.site.expr.Args[i])
	} else if v.site.expr != nil {
		if sel, ok := v.site.expr.Fun.(*ast.SelectorExpr); ok {
			what = g.pkg.files.code(sel.X)
		}
	}
	st := g.step(finding.Step{Location: v.site.loc, Message: fmt.Sprintf("written into %s by %s", what, v.site.callee)})
	if base := unconverted(val); len(g.refs(base)) > 0 {
		g.writeInto(n, base, st) // through uintptr(unsafe.Pointer(&buf[0])) to buf
		return n, true
	}
	// A value that refers to nothing — a path, a handle, an address — is what the call
	// says it is from now on (a file downloaded to dst, memory copied to addr): its uses,
	// and the variable it was read from, carry the data.
	g.edge(n, g.value(val), st)
	if load, ok := val.(*ssa.UnOp); ok && load.Op == token.MUL {
		g.writeInto(n, load.X, st)
	}
	return n, true
}

// unconverted looks through conversions to the value converted: a pointer behind a uintptr.
func unconverted(v ssa.Value) ssa.Value {
	for depth := 0; depth < 4; depth++ {
		switch x := v.(type) {
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// result is the vertex of result j of call site s.
func (g *graph) result(s *callSite, j int) int32 {
	return g.node(nodeKey{kind: nResult, i: s.idx, j: j})
}
