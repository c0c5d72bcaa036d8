package taintssa

import (
	"go/ast"
	"go/constant"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
)

// Comparisons against constants are what command dispatchers, keyword searches and host
// checks are made of; which matter is decided once it is known what reaches them. The
// forms are the tree-sitter engine's: x == C and x != C, switch cases, strings.HasPrefix and
// the other search and compare functions with a constant argument, and lookups in a
// command table (a package map literal from names to functions).

var (
	equalFuncs  = []string{"strings.Compare", "*.compare", "*.Compare"}
	searchFuncs = []string{"strings.Contains", "strings.HasPrefix", "strings.HasSuffix", "strings.EqualFold",
		"strings.Index", "strings.ContainsAny", "bytes.Contains", "bytes.HasPrefix", "bytes.Equal", "bytes.EqualFold",
		"*.find", "*.contains", "*.Contains", "*.startsWith", "*.StartsWith", "*.starts_with", "*.IndexOf",
		"*.indexOf", "*.equals", "*.Equals"}
	// trivial constants are never command names: null checks and error codes.
	trivial = []string{"nil", "0", "-1", "1", "true", "false", `""`, ""}
)

// cmpSite is a comparison with the branch its match runs, for dispatch actions.
type cmpSite struct {
	c      *Compare
	branch *ssa.BasicBlock          // the block run on a match, or nil
	table  map[string]*ssa.Function // a table's rows
}

// compares records the function's comparisons against constants.
func (g *graph) compares() {
	for _, b := range g.fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.BinOp:
				if in.Op == token.EQL || in.Op == token.NEQ {
					g.compareOp(in)
				}
			case *ssa.Lookup:
				g.tableLookup(in)
			}
		}
	}
	for _, s := range g.calls {
		g.compareCall(s)
	}
}

// addCompare declares comparison c of value, with its branch.
func (g *graph) addCompare(c *Compare, value ssa.Value, branch *ssa.BasicBlock, rows map[string]*ssa.Function) {
	c.Func = g.name
	k := len(g.cmps)
	g.cmps = append(g.cmps, c)
	g.cmpSites = append(g.cmpSites, &cmpSite{c: c, branch: branch, table: rows})
	msg := "compared with '" + brief(c.Const) + "'"
	if c.Table != "" {
		msg = "looked up in " + c.Table
	}
	n := g.node(nodeKey{kind: nCompare, i: k})
	g.edge(g.deep(value), n, g.step(stepOf(c, msg)))
}

// compareOp records x == C and x != C, and switch cases.
func (g *graph) compareOp(in *ssa.BinOp) {
	value, k := in.X, in.Y
	if _, ok := value.(*ssa.Const); ok {
		value, k = k, value
	}
	kc, ok := k.(*ssa.Const)
	if !ok || kc.Value == nil {
		return
	}
	if _, both := value.(*ssa.Const); both {
		return
	}
	fs := g.pkg.files
	c := &Compare{Op: "=="}
	var constExpr ast.Expr
	if tag, isCase := fs.cases[in.Pos()]; isCase {
		c.Op, c.Value = "case", fs.code(tag)
		constExpr = fs.caseExpr(in.Pos())
		c.Site = fs.nodeLoc(constExpr)
	} else if be := fs.bins[in.Pos()]; be != nil {
		c.Site = fs.nodeLoc(be)
		x, y := be.X, be.Y
		if tv := g.pkg.info.Types[x]; tv.Value != nil {
			x, y = y, x
		}
		c.Value, constExpr = fs.code(x), y
	} else {
		return
	}
	c.Const = constText(kc, fs.code(constExpr))
	if slices.Contains(trivial, c.Const) {
		return
	}
	g.addCompare(c, value, g.branchOf(in, in.Op == token.EQL), nil)
}

// constText is what a constant says: a string's value, else its text as written.
func constText(k *ssa.Const, text string) string {
	if k.Value.Kind() == constant.String {
		return constant.StringVal(k.Value)
	}
	if text != "" {
		return text
	}
	return k.Value.ExactString()
}

// compareCall records strings.HasPrefix(x, C) and the other compare and search calls.
func (g *graph) compareCall(s *callSite) {
	if s.expr == nil || len(s.views) == 0 {
		return
	}
	v := s.views[0]
	equal := slices.ContainsFunc(v.names, func(n string) bool { return slices.Contains(equalFuncs, n) })
	search := slices.ContainsFunc(v.names, func(n string) bool { return slices.Contains(searchFuncs, n) })
	if !equal && !search {
		return
	}
	vals := v.args
	exprs := s.expr.Args
	if v.recv != nil {
		vals = append([]ssa.Value{v.recv}, vals...)
		if sel, ok := s.expr.Fun.(*ast.SelectorExpr); ok {
			exprs = append([]ast.Expr{sel.X}, exprs...)
		}
	}
	if len(vals) < 2 || len(exprs) != len(vals) {
		return
	}
	value, k, ve, ke := vals[0], vals[1], exprs[0], exprs[1]
	if _, ok := value.(*ssa.Const); ok {
		value, k, ve, ke = k, value, ke, ve
	}
	kc, ok := k.(*ssa.Const)
	if !ok || kc.Value == nil {
		return
	}
	if _, both := value.(*ssa.Const); both {
		return
	}
	fs := g.pkg.files
	c := &Compare{Op: "strcmp", Value: fs.code(ve), Const: constText(kc, fs.code(ke)), Site: s.loc}
	if search {
		c.Op = "contains"
	}
	if slices.Contains(trivial, c.Const) {
		return
	}
	call, _ := s.instr.(*ssa.Call)
	var branch *ssa.BasicBlock
	if call != nil {
		branch = g.branchOf(call, search)
	}
	g.addCompare(c, value, branch, nil)
}

// tableLookup records handlers[cmd] on a command table as a comparison of cmd with every
// name of the table.
func (g *graph) tableLookup(in *ssa.Lookup) {
	load, ok := in.X.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return
	}
	gl, ok := load.X.(*ssa.Global)
	if !ok {
		return
	}
	rows := g.pkg.tables[gl]
	if len(rows) < 2 {
		return
	}
	if _, isConst := in.Index.(*ssa.Const); isConst {
		return
	}
	fs := g.pkg.files
	ie := fs.index[in.Pos()]
	if ie == nil {
		return
	}
	c := &Compare{Op: "index", Table: gl.Name(), Value: fs.code(ie.Index), Site: fs.nodeLoc(ie)}
	names := make([]string, 0, len(rows))
	for name := range rows {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, n := range names {
		c.Rows = append(c.Rows, TableRow{Name: n})
	}
	g.addCompare(c, in.Index, nil, rows)
}

// branchOf finds the block run when the comparison v matches: the successor of the if
// statement testing it, through negations. trueOnMatch says whether v is true on a match.
func (g *graph) branchOf(v ssa.Value, trueOnMatch bool) *ssa.BasicBlock {
	for depth := 0; depth < 4; depth++ {
		refs := v.Referrers()
		if refs == nil {
			return nil
		}
		var next ssa.Value
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.If:
				succ := r.Block().Succs[1]
				if trueOnMatch {
					succ = r.Block().Succs[0]
				}
				if !strings.HasPrefix(succ.Comment, "if.then") && !strings.HasPrefix(succ.Comment, "if.else") &&
					!strings.HasPrefix(succ.Comment, "switch.body") && !strings.HasPrefix(succ.Comment, "cond.") &&
					!strings.HasPrefix(succ.Comment, "binop.") {
					return nil
				}
				return succ
			case *ssa.UnOp:
				if r.Op == token.NOT {
					next, trueOnMatch = r, !trueOnMatch
				}
			case *ssa.BinOp:
				// strings.Compare(a, C) == 0 matches on zero.
				if k, ok := r.Y.(*ssa.Const); ok && k.Value != nil && k.Value.ExactString() == "0" {
					next, trueOnMatch = r, (r.Op == token.EQL) != trueOnMatch
				}
			}
		}
		if next == nil {
			return nil
		}
		v = next
	}
	return nil
}

// stepOf is a hop at a comparison.
func stepOf(c *Compare, msg string) finding.Step { return finding.Step{Location: c.Site, Message: msg} }

// region is the blocks a branch runs: those its first block dominates.
func region(b *ssa.BasicBlock) []*ssa.BasicBlock {
	if b == nil {
		return nil
	}
	var out []*ssa.BasicBlock
	for _, x := range b.Parent().Blocks {
		if b.Dominates(x) {
			out = append(out, x)
		}
	}
	return out
}

// findTables reads the package's command tables (package maps initialised with string keys
// and function values) and its package variables holding Windows procedures.
func (p *pkgAnalysis) findTables(fns []*ssa.Function) {
	for _, fn := range fns {
		if fn.Name() != "init" && (fn.Parent() == nil || fn.Parent().Name() != "init") {
			continue
		}
		made := map[ssa.Value]map[string]*ssa.Function{}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case *ssa.MapUpdate:
					k, ok := in.Key.(*ssa.Const)
					if !ok || k.Value == nil || k.Value.Kind() != constant.String {
						continue
					}
					if f := funcOf(in.Value); f != nil {
						if made[in.Map] == nil {
							made[in.Map] = map[string]*ssa.Function{}
						}
						made[in.Map][constant.StringVal(k.Value)] = f
					}
				case *ssa.Store:
					if gl, ok := in.Addr.(*ssa.Global); ok && made[in.Val] != nil {
						p.tables[gl] = made[in.Val]
					}
					if gl, ok := in.Addr.(*ssa.Global); ok {
						if name := procName(in.Val); name != "" {
							p.procs[gl] = name
						}
					}
				}
			}
		}
	}
}

// funcOf is the function a value is, through conversions and closures.
func funcOf(v ssa.Value) *ssa.Function {
	switch v := v.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		return v.Fn.(*ssa.Function)
	case *ssa.ChangeType:
		return funcOf(v.X)
	case *ssa.MakeInterface:
		return funcOf(v.X)
	}
	return nil
}
