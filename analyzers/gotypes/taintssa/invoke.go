package taintssa

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"glassbox/analyzers/finding"
	"glassbox/rules"
)

// deferred reports whether a call is made through one of the function's inputs, an
// interface value or a function value its caller passes: the call's meaning is the caller's
// to resolve. It declares the call's results as invoke labels and its arguments as invoke
// targets.
func (pr *prop) deferred(s *callSite) {
	g := pr.g
	var method string
	var callee ssa.Value
	if s.common.IsInvoke() {
		method, callee = s.common.Method.Name(), s.common.Value
	} else if s.common.StaticCallee() == nil {
		callee = s.common.Value
	} else {
		return
	}
	k, ok := g.inputIndex(callee)
	if !ok {
		return
	}
	key := fmt.Sprintf("%s#%d", method, k)
	at := &CallInfo{Callee: s.callee, Site: s.loc, Function: g.name}
	for j := range s.nres {
		n := g.node(nodeKey{kind: nInvoke, i: s.idx, j: j, s: key})
		pr.invokes[n] = Label{Kind: InvokeLabel, Index: k, Method: method, Pos: j, Call: at}
		pr.edge(n, g.result(s, j), -1)
	}
	v := &call{site: s, args: s.common.Args}
	for i := range v.args {
		if a, ok := g.argNode(v, i); ok {
			pr.edge(a, pr.hit(s, Target{Kind: InvokeTarget, Index: k, Method: method, Pos: i, Call: at}), -1)
		}
	}
}

// inputIndex reports which input (parameter or captured variable) a value is.
func (g *graph) inputIndex(v ssa.Value) (int, bool) {
	for depth := 0; depth < 4; depth++ {
		switch x := v.(type) {
		case *ssa.Parameter:
			return slices.Index(g.fn.Params, x), true
		case *ssa.FreeVar:
			return len(g.fn.Params) + slices.Index(g.fn.FreeVars, x), true
		case *ssa.UnOp:
			// A captured variable, read: the caller passes the variable, whose stores
			// say what it holds (see methodsOf).
			if fv, ok := x.X.(*ssa.FreeVar); ok && x.Op == token.MUL {
				return len(g.fn.Params) + slices.Index(g.fn.FreeVars, fv), true
			}
			return 0, false
		case *ssa.ChangeInterface:
			v = x.X
			continue
		case *ssa.ChangeType:
			v = x.X
			continue
		}
		return 0, false
	}
	return 0, false
}

// invokeResults resolves a callee's invoke label at this call: what the methods of the
// value passed return (or, when that value is this function's own input, a label of this
// function's summary in turn).
func (pr *prop) invokeResults(v *call, l Label) []int32 {
	g := pr.g
	a := v.param(l.Index)
	if a == nil {
		return nil
	}
	if k, ok := g.inputIndex(a); ok && !concrete(a.Type()) {
		n := g.node(nodeKey{kind: nInvoke, i: v.site.idx, j: l.Pos, s: fmt.Sprintf("%s#%d", l.Method, k)})
		pr.invokes[n] = Label{Kind: InvokeLabel, Index: k, Method: l.Method, Pos: l.Pos, Call: l.Call}
		for _, mv := range pr.methodsOf(v.site, a, l.Method) {
			pr.invokeSources(mv, l, n) // a model its type here names
		}
		return []int32{n}
	}
	var out []int32
	for _, mv := range pr.methodsOf(v.site, a, l.Method) {
		b := g.node(nodeKey{kind: nBridge, i: v.site.idx, j: l.Pos, s: "result|" + l.String() + "|" + calleeName(mv)})
		out = append(out, b)
		pr.invokeSources(mv, l, b)
		sum := g.pkg.summaryOf(mv, pr.grp)
		if sum == nil {
			continue
		}
		ret := []finding.Step{{Location: v.site.loc, Message: "returned by " + calleeName(mv)}}
		for _, e := range sum.Edges {
			if e.To.Kind != ReturnTarget || e.To.Index != l.Pos || e.From.Kind == InvokeLabel {
				continue
			}
			if e.From.Kind == ParamLabel && e.From.Index != 0 {
				continue // an argument of the call inside the callee, which this call cannot see
			}
			for _, src := range pr.sources(mv, sum, e.From, nil) {
				pr.edge(src, b, g.stepSeq(append(slices.Clone(e.Steps), ret...)))
			}
		}
	}
	return out
}

// invokeSources declares the origins of a call through a parameter that turns out to be one
// of the rules' sources (out: return): they are found at the call, inside the callee.
func (pr *prop) invokeSources(mv *call, l Label, b int32) {
	if l.Call == nil {
		return
	}
	for _, rm := range pr.grp.rules {
		for _, m := range rm.sources.match(mv) {
			if !m.model.Out.Has(rules.PosReturn) {
				continue
			}
			o := pr.origin(Origin{Rule: rm.rule.ID, API: m.api, Kind: m.model.Kind, Label: describe(m.model.Label, "read by", m.api),
				Site: l.Call.Site, Function: l.Call.Function})
			pr.edge(o.node, b, -1)
		}
	}
}

// invokeSinks reports the sinks a call through a parameter turns out to be: the method
// called is one of the rules' sinks at the argument the data reaches.
func (pr *prop) invokeSinks(mv *call, from int32, t Target, steps []finding.Step) {
	if t.Call == nil {
		return
	}
	for _, rm := range pr.grp.rules {
		for _, then := range []bool{false, true} {
			ms := rm.sinks
			if then {
				ms = rm.then
			}
			for _, m := range ms.match(mv) {
				if !m.model.Arg.Has(rules.Pos(t.Pos)) {
					continue
				}
				sk := &Sink{Rule: rm.rule.ID, API: m.api, Kind: m.model.Kind, Label: describe(m.model.Label, "by", m.api),
					Callee: t.Call.Callee, Site: t.Call.Site, Function: t.Call.Function, Then: then}
				pr.edge(from, pr.hit(mv.site, Target{Kind: SinkTarget, Sink: sk}), pr.g.stepSeq(steps))
			}
		}
	}
}

// invokeArgs resolves a callee's invoke target at this call: data the callee passed to a
// method of its parameter reaches what that method of the value passed here does with it.
func (pr *prop) invokeArgs(v *call, from int32, t Target, steps []finding.Step) {
	g := pr.g
	a := v.param(t.Index)
	if a == nil {
		return
	}
	if k, ok := g.inputIndex(a); ok && !concrete(a.Type()) {
		// This function's input too: its callers will say what it is, but its type here
		// (net.Conn rather than io.Writer) may already name a model.
		for _, mv := range pr.methodsOf(v.site, a, t.Method) {
			pr.invokeSinks(mv, from, t, steps)
		}
		pr.edge(from, pr.hit(v.site, Target{Kind: InvokeTarget, Index: k, Method: t.Method, Pos: t.Pos, Call: t.Call}), g.stepSeq(steps))
		return
	}
	for _, mv := range pr.methodsOf(v.site, a, t.Method) {
		pr.invokeSinks(mv, from, t, steps)
		sum := g.pkg.summaryOf(mv, pr.grp)
		if sum == nil {
			continue
		}
		param := t.Pos
		if mv.recv != nil {
			param++
		}
		via := finding.Step{Location: v.site.loc, Message: fmt.Sprintf("passed to %s through %s", calleeName(mv), v.site.callee)}
		for _, e := range sum.Edges {
			if e.From.Kind != ParamLabel || e.From.Index != param {
				continue
			}
			all := append(append(slices.Clone(steps), via), e.Steps...)
			switch e.To.Kind {
			case SinkTarget, CompareTarget:
				pr.edge(from, pr.hit(v.site, e.To), g.stepSeq(all))
			case HubTarget:
				pr.edge(from, g.hubOut(e.To.Hub), g.stepSeq(all))
			case ParamTarget:
				if e.To.Index == 0 && mv.recv != nil {
					if out, ok := pr.output(mv, 0); ok {
						pr.edge(from, out, g.stepSeq(all))
					}
				}
			}
		}
	}
}

// methodsOf is what calling method on value a may call: the method of each concrete type a
// may have, or, for a function value (method ""), the functions it may hold.
func (pr *prop) methodsOf(s *callSite, a ssa.Value, method string) []*call {
	g := pr.g
	if alloc, ok := a.(*ssa.Alloc); ok {
		// A variable a closure captured: what was stored in it.
		var out []*call
		for _, v := range storedIn(alloc) {
			out = append(out, pr.methodsOf(s, v, method)...)
		}
		return out
	}
	var out []*call
	if method == "" {
		out = g.funcTargets(s, a)
	} else {
		seen := map[*types.Func]bool{}
		// The value's own type too when it is an interface: its method goes by the
		// interface's name (net.Conn.Write), which models may name.
		for _, t := range append(dynTypes(a, 0), staticTypes(a)...) {
			obj, _, _ := types.LookupFieldOrMethod(t, true, g.pkg.pkg, method)
			m, ok := obj.(*types.Func)
			if !ok || seen[m] {
				continue
			}
			seen[m] = true
			out = append(out, &call{site: s, obj: m, fn: g.pkg.local(m), recv: a})
		}
	}
	for _, v := range out {
		v.inner = true
		v.names = g.pkg.funcNames(v.obj, v.recv)
	}
	return out
}

// staticTypes are the types a value is written with, through the interface conversions
// that made it: net.Conn for an io.Writer converted from a net.Conn.
func staticTypes(v ssa.Value) []types.Type {
	out := []types.Type{v.Type()}
	for depth := 0; depth < 4; depth++ {
		switch x := v.(type) {
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		default:
			return out
		}
		out = append(out, v.Type())
	}
	return out
}

// storedIn lists the values stored in a variable.
func storedIn(a *ssa.Alloc) []ssa.Value {
	var out []ssa.Value
	if refs := a.Referrers(); refs != nil {
		for _, r := range *refs {
			if st, ok := r.(*ssa.Store); ok && st.Addr == a {
				out = append(out, st.Val)
			}
		}
	}
	return out
}

// concrete reports whether values of type t have one dynamic type: not interfaces.
func concrete(t types.Type) bool {
	_, iface := t.Underlying().(*types.Interface)
	return !iface
}
