package taintssa

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
)

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
