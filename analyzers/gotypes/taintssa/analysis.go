package taintssa

import (
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
)

// maxActionDepth bounds how deep into the call graph a branch's actions are looked for, as
// in the tree-sitter engine.
const maxActionDepth = 5

// pkgAnalysis is the analysis of one package: every function's graph and summaries, and the
// package's part of the program.
type pkgAnalysis struct {
	pass     *analysis.Pass
	fset     *token.FileSet
	info     *types.Info
	pkg      *types.Package
	files    *files
	rules    *ruleSet
	ifaces   []resolvedIface
	visible  []*types.Package // this package and everything it imports
	analysed []*types.Package // this package and the imported ones with summaries
	fact     func(*types.Func) *FuncSummary

	ifaceCache  map[string]*types.Interface
	implCache   map[string][]*types.Func
	tables      map[*ssa.Global]map[string]*ssa.Function
	siteActions map[actionKey][]string
	funcs       []*ssa.Function
	byObj       map[types.Object]*ssa.Function
	hubFuncs    map[string][]object    // functions stored in hubs
	procs       map[*ssa.Global]string // package variables holding a Windows procedure, by its name
	live        map[string]bool        // hubs something writes: those wide values expand to
	graphs      map[*ssa.Function]*graph
	summaries   map[*ssa.Function]map[string]*Summary
	actions     map[*ssa.Function]map[string]map[string]int // rule → action → least depth
}

func newPkgAnalysis(pass *analysis.Pass, rs *ruleSet, fact func(*types.Func) *FuncSummary, hasProgram func(*types.Package) bool) *pkgAnalysis {
	p := &pkgAnalysis{pass: pass, fset: pass.Fset, info: pass.TypesInfo, pkg: pass.Pkg, files: newFiles(pass), rules: rs,
		fact: fact, ifaceCache: map[string]*types.Interface{}, implCache: map[string][]*types.Func{},
		tables: map[*ssa.Global]map[string]*ssa.Function{}, siteActions: map[actionKey][]string{},
		graphs: map[*ssa.Function]*graph{}, byObj: map[types.Object]*ssa.Function{},
		hubFuncs: map[string][]object{}, procs: map[*ssa.Global]string{}, summaries: map[*ssa.Function]map[string]*Summary{},
		actions: map[*ssa.Function]map[string]map[string]int{}}
	seen := map[*types.Package]bool{}
	var walk func(*types.Package)
	walk = func(q *types.Package) {
		if seen[q] {
			return
		}
		seen[q] = true
		p.visible = append(p.visible, q)
		for _, i := range q.Imports() {
			walk(i)
		}
	}
	walk(pass.Pkg)
	for _, q := range p.visible {
		if q == pass.Pkg || hasProgram(q) {
			p.analysed = append(p.analysed, q)
		}
	}
	p.ifaces = resolveIfaces(pass.Pkg, rs.ifaces)
	return p
}

// run analyses the package's functions and returns its part of the program.
func (p *pkgAnalysis) run(funcs []*ssa.Function, deps []*Program) *Program {
	for _, fn := range funcs {
		if len(fn.Blocks) > 0 && (fn.Synthetic == "" || fn.Synthetic == "package initializer") {
			p.funcs = append(p.funcs, fn)
			if obj := fn.Object(); obj != nil {
				p.byObj[obj] = fn
			}
		}
	}
	p.findTables(p.funcs)
	for _, fn := range p.funcs {
		g := newGraph(p, fn)
		g.prepare()
		p.graphs[fn] = g
	}
	for _, fn := range p.funcs {
		p.graphs[fn].storedFuncs(p.hubFuncs)
	}
	for _, fn := range p.funcs {
		p.graphs[fn].build()
	}
	live := map[string]bool{}
	prog := &Program{}
	for _, fn := range p.funcs {
		for _, k := range p.graphs[fn].nodes {
			if k.kind == nHubOut && !strings.HasSuffix(k.s, "init$guard") {
				live[k.s] = true
			}
		}
	}
	for h := range live {
		prog.Written = append(prog.Written, h)
	}
	slices.Sort(prog.Written)
	for _, d := range deps {
		for _, h := range d.Written {
			live[h] = true
		}
	}
	p.live = live
	for _, fn := range p.funcs {
		p.graphs[fn].finishWide()
	}
	p.computeActions()
	order := p.sccs()
	for _, grp := range p.rules.groups {
		final := map[*ssa.Function]*prop{}
		for _, scc := range order {
			for round := 0; round < 8; round++ {
				changed := false
				for _, fn := range scc {
					pr := newProp(p.graphs[fn], grp)
					final[fn] = pr
					s := pr.summarize()
					if p.summaries[fn] == nil {
						p.summaries[fn] = map[string]*Summary{}
					}
					if old := p.summaries[fn][grp.key]; old == nil || old.String() != s.String() {
						changed = true
					}
					p.summaries[fn][grp.key] = s
				}
				if !changed || len(scc) == 1 && !selfRecursive(p.graphs[scc[0]]) {
					break
				}
			}
		}
		for _, fn := range p.funcs {
			final[fn].collect(prog)
		}
	}
	return prog
}

// selfRecursive reports whether a function calls itself.
func selfRecursive(g *graph) bool {
	for _, s := range g.calls {
		for _, v := range s.views {
			if v.fn == g.fn {
				return true
			}
		}
	}
	return false
}

// summaryOf is the summary of what view v calls, for a group: from this package's analysis
// or from a dependency's fact; nil for code outside the analysis.
func (p *pkgAnalysis) summaryOf(v *call, grp *group) *Summary {
	if v.fn != nil {
		if s := p.summaries[v.fn][grp.key]; s != nil {
			return s
		}
		if _, ok := p.graphs[v.fn]; ok {
			return &Summary{} // not computed yet: a callee in the same cycle
		}
		return nil
	}
	if v.obj == nil {
		return nil
	}
	obj := v.obj.Origin()
	if !slices.Contains(p.analysed, obj.Pkg()) || abstract(obj) {
		return nil
	}
	if fs := p.fact(obj); fs != nil && fs.Groups[grp.key] != nil {
		return fs.Groups[grp.key]
	}
	return &Summary{} // analysed, and moves no data
}

// abstract reports whether a method is an interface's: it has no body, hence no summary.
func abstract(m *types.Func) bool {
	r := m.Signature().Recv()
	if r == nil {
		return false
	}
	_, iface := r.Type().Underlying().(*types.Interface)
	return iface
}

// local returns the SSA function of a function or method of this package, if analysed.
func (p *pkgAnalysis) local(obj *types.Func) *ssa.Function {
	if obj == nil || obj.Pkg() != p.pkg {
		return nil
	}
	return p.byObj[obj.Origin()]
}

// hasSummary reports whether a method has a summary: analysed here or in a dependency.
func (p *pkgAnalysis) hasSummary(m *types.Func) bool {
	return p.local(m) != nil || m.Pkg() != p.pkg && slices.Contains(p.analysed, m.Pkg())
}

// sccs orders the package's functions callees first, in strongly connected components.
func (p *pkgAnalysis) sccs() [][]*ssa.Function {
	index := map[*ssa.Function]int{}
	low := map[*ssa.Function]int{}
	on := map[*ssa.Function]bool{}
	var stack []*ssa.Function
	var out [][]*ssa.Function
	var visit func(fn *ssa.Function)
	visit = func(fn *ssa.Function) {
		index[fn] = len(index)
		low[fn] = index[fn]
		stack = append(stack, fn)
		on[fn] = true
		for _, c := range p.callees(fn) {
			if _, seen := index[c]; !seen {
				visit(c)
				low[fn] = min(low[fn], low[c])
			} else if on[c] {
				low[fn] = min(low[fn], index[c])
			}
		}
		if low[fn] == index[fn] {
			var scc []*ssa.Function
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[top] = false
				scc = append(scc, top)
				if top == fn {
					break
				}
			}
			out = append(out, scc)
		}
	}
	for _, fn := range p.funcs {
		if _, seen := index[fn]; !seen {
			visit(fn)
		}
	}
	return out
}

// callees are the package's functions fn may call or hand to a call: through call sites,
// and through any function value it mentions (callbacks, closures).
func (p *pkgAnalysis) callees(fn *ssa.Function) []*ssa.Function {
	g := p.graphs[fn]
	var out []*ssa.Function
	add := func(f *ssa.Function) {
		if f != nil && p.graphs[f] != nil && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, s := range g.calls {
		for _, v := range s.views {
			add(v.fn)
		}
	}
	for _, os := range g.pts {
		for _, o := range os {
			switch o.kind {
			case oFunc:
				add(o.fn)
			case oClosure:
				add(o.v.(*ssa.MakeClosure).Fn.(*ssa.Function))
			}
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, op := range instr.Operands(nil) {
				if f, ok := (*op).(*ssa.Function); ok {
					add(f)
				}
			}
		}
	}
	return out
}

// computeActions finds, for every function, the dispatch actions it reaches within
// maxActionDepth calls, and fills in the actions of every comparison's branch.
func (p *pkgAnalysis) computeActions() {
	if len(p.rules.dispatch) == 0 {
		return
	}
	for changed := true; changed; {
		changed = false
		for _, fn := range p.funcs {
			for rule := range p.rules.dispatch {
				for a, d := range p.reachFrom(fn, rule) {
					if p.actions[fn] == nil {
						p.actions[fn] = map[string]map[string]int{}
					}
					if p.actions[fn][rule] == nil {
						p.actions[fn][rule] = map[string]int{}
					}
					if old, ok := p.actions[fn][rule][a]; !ok || d < old {
						p.actions[fn][rule][a] = d
						changed = true
					}
				}
			}
		}
	}
	for _, fn := range p.funcs {
		g := p.graphs[fn]
		for _, cs := range g.cmpSites {
			p.branchActions(g, cs)
		}
	}
}

// reachFrom is what fn reaches: its calls' actions at depth 0, its callees' one deeper.
func (p *pkgAnalysis) reachFrom(fn *ssa.Function, rule string) map[string]int {
	out := map[string]int{}
	for _, s := range p.graphs[fn].calls {
		for a, d := range p.callActions(fn, s, rule) {
			if old, ok := out[a]; !ok || d < old {
				out[a] = d
			}
		}
	}
	return out
}

// callActions is what one call reaches: its own actions, and its callees' to the depth.
func (p *pkgAnalysis) callActions(fn *ssa.Function, s *callSite, rule string) map[string]int {
	out := map[string]int{}
	for _, a := range p.siteActions[actionKey{fn, rule, s.idx}] {
		out[a] = 0
	}
	for _, v := range s.views {
		for a, d := range p.funcActions(v, rule) {
			if d+1 > maxActionDepth {
				continue
			}
			if old, ok := out[a]; !ok || d+1 < old {
				out[a] = d + 1
			}
		}
	}
	return out
}

// funcActions is what a callee reaches, from this package's analysis or its fact.
func (p *pkgAnalysis) funcActions(v *call, rule string) map[string]int {
	if v.fn != nil {
		return p.actions[v.fn][rule]
	}
	if v.obj == nil {
		return nil
	}
	fs := p.fact(v.obj.Origin())
	if fs == nil {
		return nil
	}
	out := map[string]int{}
	for _, r := range fs.Actions[rule] {
		out[r.Action] = r.Depth
	}
	return out
}

// branchActions fills in what a comparison's branch reaches, per dispatch rule: the calls
// of the blocks its match runs, or the functions of a table's rows.
func (p *pkgAnalysis) branchActions(g *graph, cs *cmpSite) {
	for rule := range p.rules.dispatch {
		if cs.table != nil {
			for i := range cs.c.Rows {
				fn := cs.table[cs.c.Rows[i].Name]
				var acts []string
				for a, d := range p.actions[fn][rule] {
					if d+1 <= maxActionDepth {
						acts = append(acts, a)
					}
				}
				if len(acts) > 0 {
					if cs.c.Rows[i].Actions == nil {
						cs.c.Rows[i].Actions = map[string][]string{}
					}
					cs.c.Rows[i].Actions[rule] = merge(nil, acts)
				}
			}
			continue
		}
		blocks := region(cs.branch)
		var acts []string
		for _, s := range g.calls {
			if !slices.Contains(blocks, s.instr.Block()) {
				continue
			}
			acts = merge(acts, slices.Collect(maps.Keys(p.callActions(g.fn, s, rule))))
		}
		if len(acts) > 0 {
			if cs.c.Actions == nil {
				cs.c.Actions = map[string][]string{}
			}
			cs.c.Actions[rule] = acts
		}
	}
}

// funcSummary is the fact of a function: its summaries and the actions it reaches.
func (p *pkgAnalysis) funcSummary(fn *ssa.Function) *FuncSummary {
	fs := &FuncSummary{Name: funcName(fn), Groups: p.summaries[fn]}
	for rule, acts := range p.actions[fn] {
		if fs.Actions == nil {
			fs.Actions = map[string][]Reached{}
		}
		for a, d := range acts {
			fs.Actions[rule] = append(fs.Actions[rule], Reached{Depth: d, Action: a})
		}
		slices.SortFunc(fs.Actions[rule], func(a, b Reached) int { return strings.Compare(a.Action, b.Action) })
	}
	return fs
}

// funcName names a function as findings do: Func, or Type.Method; a closure by the function
// it is written in.
func funcName(fn *ssa.Function) string {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if fn.Signature.Recv() != nil {
		t := fn.Signature.Recv().Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Origin().Obj().Name() + "." + fn.Name()
		}
	}
	name := fn.Name()
	if i := strings.IndexByte(name, '#'); i >= 0 {
		name = name[:i]
	}
	return name
}

// findingsOf keeps the findings not already reported by a dependency.
func findingsOf(all []finding.Finding, deps []*Program) []finding.Finding {
	reported := map[string]bool{}
	for _, d := range deps {
		for _, r := range d.Reported {
			reported[r] = true
		}
	}
	var out []finding.Finding
	for i := range all {
		if !reported[identity(&all[i])] {
			out = append(out, all[i])
		}
	}
	return out
}
