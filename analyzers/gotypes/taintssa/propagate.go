package taintssa

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
	"glassbox/rules"
)

// prop is one rule group's propagation over one function's graph: the group's edges at
// every call (callee summaries, or the library's models for code outside the analysis), and
// the origins callees hand back.
type prop struct {
	g       *graph
	grp     *group
	adj     map[int32][]edge
	origins []*originSite // the graph's origins and those callees hand back
	hits    map[int32]Target
	invokes map[int32]Label // inputs: what calls through parameters return
}

func newProp(g *graph, grp *group) *prop {
	pr := &prop{g: g, grp: grp, adj: map[int32][]edge{}, hits: map[int32]Target{}, invokes: map[int32]Label{}}
	pr.origins = slices.Clone(g.origins)
	for _, s := range g.calls {
		pr.linkCall(s)
	}
	for _, o := range g.origins {
		if grp.has(o.def.Rule) {
			for _, h := range o.hooks {
				pr.hook(o, h)
			}
		}
	}
	return pr
}

func (pr *prop) edge(from, to int32, step int32) {
	if from == to {
		return
	}
	for _, e := range pr.adj[from] {
		if e.to == to {
			return
		}
	}
	pr.adj[from] = append(pr.adj[from], edge{to: to, step: step})
}

// linkCall connects one call site for the group.
func (pr *prop) linkCall(s *callSite) {
	pr.deferred(s)
	if len(s.views) == 0 {
		pr.unknown(s)
		return
	}
	for _, v := range s.views {
		if sum := pr.g.pkg.summaryOf(v, pr.grp); sum != nil {
			pr.apply(v, sum, nil)
			continue
		}
		if !v.impl {
			pr.external(v)
		}
	}
}

// unknown is a call of a function value nothing is known of: its arguments reach its result.
func (pr *prop) unknown(s *callSite) {
	v := &call{site: s, args: s.common.Args}
	pr.defaults(v)
}

// external connects a call of code outside the analysis through the library's models: a
// propagator moves data where it says, a sanitizer stops it, and any other call passes its
// arguments to its results, as the tree-sitter engine's default does. A function value passed
// to such a call is assumed called.
func (pr *prop) external(v *call) {
	rs := pr.g.pkg.rules
	lib := rs.props.match(v)
	for _, m := range lib {
		pr.propagate(v, m.model)
	}
	for _, m := range pr.grp.props.match(v) {
		pr.propagate(v, m.model)
	}
	switch {
	case len(lib) > 0:
	case len(rs.sans.match(v)) > 0 || len(pr.grp.sans.match(v)) > 0:
	default:
		pr.defaults(v)
	}
	for _, a := range v.args {
		if _, isFunc := a.Type().Underlying().(*types.Signature); isFunc {
			for _, t := range pr.g.funcTargets(v.site, a) {
				if sum := pr.g.pkg.summaryOf(t, pr.grp); sum != nil {
					pr.apply(t, sum, nil)
				}
			}
		}
	}
}

// defaults passes every operand of a call to its results.
func (pr *prop) defaults(v *call) {
	g := pr.g
	st := g.step(finding.Step{Location: v.site.loc, Message: "passed through " + v.site.callee})
	for i := -1; i < len(v.args); i++ {
		a, ok := g.argWide(v, i)
		if !ok {
			continue
		}
		for j := range max(v.site.nres, 1) {
			pr.edge(a, g.result(v.site, j), st)
		}
	}
}

// propagate adds a propagator's edges at a call.
func (pr *prop) propagate(v *call, m *rules.Model) {
	g := pr.g
	st := g.step(finding.Step{Location: v.site.loc, Message: "passed through " + v.site.callee})
	var froms, tos []int32
	for i := -1; i < len(v.args); i++ {
		if m.From.Has(rules.Pos(i)) {
			if a, ok := g.argWide(v, i); ok {
				froms = append(froms, a)
			}
		}
		if m.To.Has(rules.Pos(i)) {
			if o, ok := g.argOut(v, i); ok {
				tos = append(tos, o)
			}
		}
	}
	if m.To.Has(rules.PosReturn) {
		for j := range max(v.site.nres, 1) {
			tos = append(tos, g.result(v.site, j))
		}
	}
	for _, f := range froms {
		for _, t := range tos {
			pr.edge(f, t, st)
		}
	}
}

// funcTargets are the functions a function value may be: named functions, closures and
// bound methods, as views of a call that has no arguments of its own.
func (g *graph) funcTargets(s *callSite, fv ssa.Value) []*call {
	var out []*call
	for _, o := range g.callable(fv) {
		switch o.kind {
		case oFunc:
			out = append(out, g.funcView(s, o.fn, nil, nil)...)
		case oClosure:
			mc := o.v.(*ssa.MakeClosure)
			var bindings []ssa.Value
			if mc.Parent() == g.fn {
				bindings = mc.Bindings
			}
			out = append(out, g.funcView(s, mc.Fn.(*ssa.Function), bindings, nil)...)
		}
	}
	return out
}

// hook sends a callback source's data into the parameter of the function the call is given.
func (pr *prop) hook(o *originSite, h *hookSite) {
	if h.fnArg >= len(h.view.args) {
		return
	}
	for _, t := range pr.g.funcTargets(h.view.site, h.view.args[h.fnArg]) {
		sum := pr.g.pkg.summaryOf(t, pr.grp)
		if sum == nil {
			continue
		}
		param := h.param
		if t.recv != nil {
			param++
		}
		pr.apply(t, sum, map[int]int32{param: o.node})
	}
}

// apply adds a callee's summary at a call: its parameters are the call's operands (or the
// vertices given, for a callback), its results the call's results, what it writes through a
// parameter is written through the operand, and the origins it hands back become origins
// of this function. Sinks and comparisons inside it that a parameter reaches become hits,
// and calls it made through a parameter are resolved with what this call passes.
func (pr *prop) apply(v *call, sum *Summary, given map[int]int32) {
	for ei := range sum.Edges {
		e := &sum.Edges[ei]
		symbolic := e.From.Kind == ParamLabel || e.From.Kind == InvokeLabel
		if !symbolic && e.To.Kind != ReturnTarget && e.To.Kind != ParamTarget && e.To.Kind != InvokeTarget {
			continue // found by the callee's own analysis
		}
		for _, from := range pr.sources(v, sum, e.From, given) {
			pr.connect(v, from, e.To, e.Steps, given != nil, symbolic)
		}
	}
}

// sources are the vertices of this function that feed a label of a callee's summary.
func (pr *prop) sources(v *call, sum *Summary, l Label, given map[int]int32) []int32 {
	g := pr.g
	switch l.Kind {
	case ParamLabel:
		if n, ok := given[l.Index]; ok {
			return []int32{n}
		}
		if given != nil && v.param(l.Index) == nil {
			return nil
		}
		if n, ok := pr.input(v, l.Index); ok {
			return []int32{n}
		}
	case HubLabel:
		return []int32{g.hubIn(l.Hub)}
	case OriginLabel:
		return []int32{pr.origin(sum.Origins[l.Index]).node}
	case InvokeLabel:
		return pr.invokeResults(v, l)
	}
	return nil
}

// connect links vertex from to what a callee's target is at this call.
func (pr *prop) connect(v *call, from int32, to Target, steps []finding.Step, callback, symbolic bool) {
	g := pr.g
	switch to.Kind {
	case ReturnTarget:
		if !callback {
			ret := finding.Step{Location: v.site.loc, Message: "returned by " + calleeName(v)}
			pr.edge(from, g.result(v.site, to.Index), g.stepSeq(append(slices.Clone(steps), ret)))
		}
	case ParamTarget:
		if out, ok := pr.output(v, to.Index); ok {
			pr.edge(from, out, g.stepSeq(steps))
		}
	case HubTarget:
		if symbolic {
			pr.edge(from, g.hubOut(to.Hub), g.stepSeq(steps))
		}
	case SinkTarget, CompareTarget:
		pr.edge(from, pr.hit(v.site, to), g.stepSeq(steps))
	case InvokeTarget:
		pr.invokeArgs(v, from, to, steps)
	}
}

// hit is the vertex of a sink or comparison reached through a call at site s.
func (pr *prop) hit(s *callSite, t Target) int32 {
	n := pr.g.node(nodeKey{kind: nHit, i: s.idx, s: targetKey(t)})
	pr.hits[n] = t
	return n
}

// input is the vertex of summary parameter i at view v: an operand entering the call, or a
// variable the closure captured.
func (pr *prop) input(v *call, i int) (int32, bool) {
	if idx, isArg := v.argIndex(i); isArg {
		if pt := v.paramType(i); pt != nil && !concrete(pt) {
			// The callee sees an interface: it cannot read the fields of the struct
			// behind it by name (through hubs), so the struct goes in whole.
			w, ok := pr.g.argWide(v, idx)
			if !ok {
				return 0, false
			}
			val := v.recv
			if idx >= 0 {
				val = v.args[idx]
			}
			n := pr.g.node(nodeKey{kind: nBridge, i: v.site.idx, j: idx, s: "whole"})
			pr.g.edge(w, n, pr.g.step(pr.g.argStep(v.site, idx, val)))
			return n, true
		}
		return pr.g.argNode(v, idx)
	}
	b := v.param(i)
	if b == nil {
		return 0, false
	}
	return pr.g.deep(b), true
}

// output is the vertex that writes through summary parameter i at view v.
func (pr *prop) output(v *call, i int) (int32, bool) {
	if idx, isArg := v.argIndex(i); isArg {
		return pr.g.argOut(v, idx)
	}
	b := v.param(i)
	if b == nil || len(pr.g.refs(b)) == 0 {
		return 0, false
	}
	n := pr.g.node(nodeKey{kind: nArgOut, i: v.site.idx, j: 1000 + i, v: b})
	pr.g.writeInto(n, b, -1)
	return n, true
}

// origin declares an origin a callee hands back.
func (pr *prop) origin(def Origin) *originSite {
	key := def.Key()
	for _, o := range pr.origins {
		if o.def.Key() == key {
			return o
		}
	}
	o := &originSite{def: def, node: pr.g.node(nodeKey{kind: nOrigin, s: key})}
	pr.origins = append(pr.origins, o)
	return o
}

// calleeName names a view's callee for hops.
func calleeName(v *call) string {
	if v.fn != nil {
		return funcName(v.fn)
	}
	if v.obj != nil {
		if r := v.obj.Signature().Recv(); r != nil {
			if tn := typeName(r.Type()); tn != "" {
				return tn[lastDot(tn)+1:] + "." + v.obj.Name()
			}
		}
		return v.obj.Name()
	}
	return v.site.callee
}
