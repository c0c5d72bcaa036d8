package taintssa

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
)

// prepare starts the function's graph: its inputs, its calls, and points-to (what each value
// may refer to, to a fixpoint, since stores and loads feed each other).
func (g *graph) prepare() {
	fn := g.fn
	g.nParams = len(fn.Params) + len(fn.FreeVars)
	for i, p := range fn.Params {
		g.addParam(i, p, p.Name(), p.Pos())
	}
	for j, fv := range fn.FreeVars {
		g.addParam(len(fn.Params)+j, fv, fv.Name(), fv.Pos())
	}
	g.collectCalls()
	g.findPrivate()
	for changed := true; changed; {
		changed = false
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if g.pointsTo(instr) {
					changed = true
				}
			}
		}
	}
}

// build finishes the function's graph once the package's function values are known:
// what each call may call, the edges of every instruction, models and comparisons.
func (g *graph) build() {
	fn := g.fn
	g.resolve()
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g.instr(instr)
		}
	}
	g.models()
	g.compares()
	g.guards()
	g.invokeHubs()
}

// addParam declares input i: a parameter or a captured variable.
func (g *graph) addParam(i int, v ssa.Value, name string, pos token.Pos) {
	if isRef(v.Type()) {
		g.pts[v] = []object{{kind: oParam, i: i}}
	}
	st := finding.Step{Location: g.pkg.files.loc(pos, pos+token.Pos(len(name))), Message: "parameter " + name}
	if _, free := v.(*ssa.FreeVar); free {
		st.Message = "captured " + name
	}
	g.params = append(g.params, paramInfo{name: name, step: st})
	g.edge(g.node(nodeKey{kind: nParam, i: i}), g.value(v), g.step(st))
}

// pointsTo updates what instr's value may refer to and what stores put in objects, and
// reports whether anything grew.
func (g *graph) pointsTo(instr ssa.Instruction) bool {
	switch in := instr.(type) {
	case *ssa.Alloc, *ssa.MakeSlice, *ssa.MakeMap, *ssa.MakeChan:
		v := in.(ssa.Value)
		return g.addPts(v, []object{{kind: oAlloc, v: v}})
	case *ssa.MakeClosure:
		return g.addPts(in, []object{{kind: oClosure, v: in}})
	case *ssa.FieldAddr:
		if a, ok := in.X.(*ssa.Alloc); ok && g.private[a] {
			return g.addPts(in, []object{{kind: oField, v: a, hub: g.pkg.fieldKey(in.X.Type(), in.Field)}})
		}
		return g.addPts(in, []object{{kind: oHub, hub: g.pkg.fieldKey(in.X.Type(), in.Field)}})
	case *ssa.Field:
		if !isRef(in.Type()) {
			return false
		}
		return g.addPts(in, append([]object{{kind: oHub, hub: g.pkg.fieldKey(in.X.Type(), in.Field)}}, g.refs(in.X)...))
	case *ssa.IndexAddr:
		return g.addPts(in, g.refs(in.X))
	case *ssa.UnOp:
		if (in.Op == token.MUL || in.Op == token.ARROW) && isRef(in.Type()) {
			return g.addPts(in, g.loaded(g.refs(in.X)))
		}
	case *ssa.Lookup:
		if isRef(in.Type()) {
			return g.addPts(in, g.loaded(g.refs(in.X)))
		}
	case *ssa.Index:
		if isRef(in.Type()) {
			return g.addPts(in, g.loaded(g.refs(in.X)))
		}
	case *ssa.Next:
		if r, ok := in.Iter.(*ssa.Range); ok {
			return g.addPts(in, g.loaded(g.refs(r.X)))
		}
	case *ssa.Phi:
		grew := false
		for _, e := range in.Edges {
			grew = g.addPts(in, g.refs(e)) || grew
		}
		return grew
	case *ssa.ChangeType:
		return g.addPts(in, g.refs(in.X))
	case *ssa.ChangeInterface:
		return g.addPts(in, g.refs(in.X))
	case *ssa.MakeInterface:
		return g.addPts(in, g.refs(in.X))
	case *ssa.TypeAssert:
		return g.addPts(in, g.refs(in.X))
	case *ssa.Slice:
		return g.addPts(in, g.refs(in.X))
	case *ssa.Convert:
		return g.addPts(in, g.refs(in.X))
	case *ssa.SliceToArrayPointer:
		return g.addPts(in, g.refs(in.X))
	case *ssa.MultiConvert:
		return g.addPts(in, g.refs(in.X))
	case *ssa.Extract:
		if c, ok := in.Tuple.(*ssa.Call); ok {
			if s := g.siteOf(c); s != nil {
				return g.addPts(in, []object{{kind: oResult, i: s.idx, j: in.Index}})
			}
		}
		return g.addPts(in, g.refs(in.Tuple))
	case *ssa.Select:
		grew := false
		for _, st := range in.States {
			if st.Dir == types.RecvOnly {
				grew = g.addPts(in, g.loaded(g.refs(st.Chan))) || grew
			} else if st.Send != nil {
				for _, o := range g.refs(st.Chan) {
					grew = g.addStored(o, g.refs(st.Send)) || grew
				}
			}
		}
		return grew
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok {
			if b.Name() == "append" && len(in.Call.Args) > 0 {
				return g.addPts(in, append([]object{{kind: oAlloc, v: in}}, g.refs(in.Call.Args[0])...))
			}
			return false
		}
		if s := g.siteOf(in); s != nil && s.nres == 1 && isRef(in.Type()) {
			return g.addPts(in, []object{{kind: oResult, i: s.idx}})
		}
	case *ssa.Store:
		grew := false
		for _, o := range g.refs(in.Addr) {
			grew = g.addStored(o, g.refs(in.Val)) || grew
		}
		return grew
	case *ssa.MapUpdate:
		grew := false
		for _, o := range g.refs(in.Map) {
			grew = g.addStored(o, g.refs(in.Value)) || grew
		}
		return grew
	case *ssa.Send:
		grew := false
		for _, o := range g.refs(in.Chan) {
			grew = g.addStored(o, g.refs(in.X)) || grew
		}
		return grew
	}
	return false
}

// instr adds the edges of one instruction.
func (g *graph) instr(instr ssa.Instruction) {
	fs := g.pkg.files
	switch in := instr.(type) {
	case *ssa.Phi:
		for _, e := range in.Edges {
			g.flow(e, in)
		}
	case *ssa.BinOp:
		switch in.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			return // a truth value: one bit of the data, which glassbox does not follow
		}
		g.flow(in.X, in)
		g.flow(in.Y, in)
	case *ssa.UnOp:
		switch in.Op {
		case token.NOT:
		case token.MUL:
			g.flow(in.X, in)
			for _, o := range g.refs(in.X) {
				g.readObject(o, g.value(in), -1)
			}
		case token.ARROW:
			g.edge(g.deep(in.X), g.value(in), -1)
		default:
			g.flow(in.X, in)
		}
	case *ssa.Convert:
		g.edge(g.deep(in.X), g.value(in), -1)
	case *ssa.ChangeType:
		g.flow(in.X, in)
	case *ssa.ChangeInterface:
		g.flow(in.X, in)
	case *ssa.MakeInterface:
		g.flow(in.X, in)
	case *ssa.TypeAssert:
		g.flow(in.X, in)
	case *ssa.SliceToArrayPointer:
		g.flow(in.X, in)
	case *ssa.MultiConvert:
		g.flow(in.X, in)
	case *ssa.Slice:
		g.flow(in.X, in)
	case *ssa.Field:
		g.flow(in.X, in)
		g.edge(g.hubIn(g.pkg.fieldKey(in.X.Type(), in.Field)), g.value(in), -1)
	case *ssa.FieldAddr:
		g.flow(in.X, in)
		for _, o := range g.refs(in.X) {
			g.readObject(o, g.value(in), -1)
		}
	case *ssa.IndexAddr:
		g.flow(in.X, in)
	case *ssa.Index:
		g.edge(g.deep(in.X), g.value(in), -1)
	case *ssa.Lookup:
		g.edge(g.deep(in.X), g.value(in), -1)
	case *ssa.Extract:
		if c, ok := in.Tuple.(*ssa.Call); ok {
			if s := g.siteOf(c); s != nil {
				g.edge(g.result(s, in.Index), g.value(in), -1)
				return
			}
		}
		g.flow(in.Tuple, in)
	case *ssa.Next:
		if r, ok := in.Iter.(*ssa.Range); ok {
			g.edge(g.deep(r.X), g.value(in), -1)
		}
	case *ssa.Select:
		for _, st := range in.States {
			if st.Dir == types.RecvOnly {
				g.edge(g.deep(st.Chan), g.value(in), -1)
			} else if st.Send != nil {
				g.writeInto(g.deep(st.Send), st.Chan, g.step(fs.stepAt(st.Pos, "sent on "+st.Chan.Name())))
			}
		}
	case *ssa.Store:
		g.store(in)
	case *ssa.MapUpdate:
		// The value, not the key, as the tree-sitter engine has it: m[k] = v puts v in m.
		g.writeInto(g.deep(in.Value), in.Map, g.step(fs.stepAt(in.Pos(), "copied into "+g.target(in.Pos(), in.Map))))
	case *ssa.Send:
		g.writeInto(g.deep(in.X), in.Chan, g.step(fs.stepAt(in.Pos(), "sent on "+g.target(in.Pos(), in.Chan))))
	case *ssa.Return:
		for j, r := range in.Results {
			g.edge(g.deep(r), g.node(nodeKey{kind: nReturn, i: j}), g.step(fs.stepAt(in.Pos(), "returned from "+g.name)))
		}
	case *ssa.Call:
		if b, ok := in.Call.Value.(*ssa.Builtin); ok {
			g.builtin(in, b)
			return
		}
		if s := g.siteOf(in); s != nil && s.nres == 1 {
			g.edge(g.result(s, 0), g.value(in), -1)
		}
	}
}

// flow is a value computed from another: what the operand holds, the result holds.
func (g *graph) flow(from, to ssa.Value) {
	if _, isConst := from.(*ssa.Const); isConst {
		return
	}
	if _, isFunc := from.(*ssa.Function); isFunc {
		return
	}
	if _, isGlobal := from.(*ssa.Global); isGlobal {
		return // the address of a package variable: reading through it reads the hub
	}
	g.edge(g.value(from), g.value(to), -1)
}

// store records *addr = val: into a hub (a field or package variable), a cell, or what a
// parameter refers to.
func (g *graph) store(in *ssa.Store) {
	fs := g.pkg.files
	var st int32 = -1
	if hub := hubOf(g.refs(in.Addr)); hub != "" {
		st = g.step(fs.stepAt(in.Pos(), fmt.Sprintf("stored in %s by %s", hubName(hub), g.name)))
	} else if !implicit(in.Addr) {
		st = g.step(fs.stepAt(in.Pos(), "copied into "+g.target(in.Pos(), in.Addr)))
	}
	g.writeInto(g.deep(in.Val), in.Addr, st)
}

// implicit reports whether an address is one the compiler made up: the array behind a
// variadic call or a slice literal.
func implicit(addr ssa.Value) bool {
	if ia, ok := addr.(*ssa.IndexAddr); ok {
		addr = ia.X
	}
	a, ok := addr.(*ssa.Alloc)
	return ok && (a.Comment == "varargs" || a.Comment == "slicelit")
}

// target names what a statement at pos writes into, as written: the left-hand side of an
// assignment or the channel of a send, else the value's name.
func (g *graph) target(pos token.Pos, v ssa.Value) string {
	switch st := g.pkg.files.stmt(pos).(type) {
	case *ast.AssignStmt:
		if len(st.Lhs) == 1 {
			return g.pkg.files.code(st.Lhs[0])
		}
	case *ast.SendStmt:
		return g.pkg.files.code(st.Chan)
	}
	return g.valueName(v)
}

// valueName names a value for a hop: a variable by its name, a field by its hub.
func (g *graph) valueName(v ssa.Value) string {
	switch v := v.(type) {
	case *ssa.Alloc:
		if v.Comment != "" {
			return v.Comment
		}
	case *ssa.FieldAddr:
		return hubName(g.pkg.fieldKey(v.X.Type(), v.Field))
	case *ssa.Global:
		return v.Name()
	case *ssa.UnOp:
		return g.valueName(v.X)
	case *ssa.IndexAddr:
		return g.valueName(v.X)
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	}
	return "a value"
}

// builtin adds the edges of a call to a built-in function.
func (g *graph) builtin(in *ssa.Call, b *ssa.Builtin) {
	args := in.Call.Args
	switch b.Name() {
	case "append":
		for _, a := range args {
			g.edge(g.deep(a), g.value(in), -1)
		}
	case "copy":
		if len(args) == 2 {
			g.writeInto(g.deep(args[1]), args[0], g.step(g.pkg.files.stepAt(in.Pos(), "copied into "+g.valueName(args[0]))))
		}
	case "min", "max", "real", "imag", "complex", "ssa:wrapnilchk", "Slice", "SliceData", "String", "StringData", "Add":
		for _, a := range args {
			g.flow(a, in)
		}
	}
}
