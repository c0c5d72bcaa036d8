package taint

import (
	"fmt"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/rules"
)

// A source occurrence: a call that produces data of a kind, and the vertices it puts it in.
type origin struct {
	fn, call int
	model    *rules.Model
	api      string
	starts   []vid
}

// A hit is a source reaching a sink argument or a comparison.
type hit struct {
	origin *origin
	at     vid
	steps  []finding.Step
	model  *rules.Model // the sink's model
	api    string
}

// ruleModels are one rule's models, indexed.
type ruleModels struct {
	rule                       *rules.Rule
	sources, sinks, then, sans *models
	props                      *models
	actions                    *models
}

func newRuleModels(r *rules.Rule) *ruleModels {
	t := r.Taint
	m := &ruleModels{rule: r, sources: newModels(t.Sources), sinks: newModels(t.Sinks),
		then: newModels(t.Then), sans: newModels(t.Sanitizers), props: newModels(t.Propagators)}
	if t.Dispatch != nil {
		m.actions = newModels(t.Dispatch.Actions)
	}
	return m
}

// origins finds every call that is one of the rule's sources.
func (l *linker) origins(rm *ruleModels) []*origin {
	var out []*origin
	for fi, f := range l.p.funcs {
		for ci := range f.Calls {
			site := &f.Calls[ci]
			names := l.siteNames(fi, ci)
			for _, m := range rm.sources.match(names, site) {
				o := &origin{fn: fi, call: ci, model: m.model, api: m.api}
				o.starts = l.sourceStarts(fi, ci, site, m.model)
				if len(o.starts) > 0 {
					out = append(out, o)
				}
			}
		}
	}
	return out
}

// sourceStarts are the vertices a source call fills: its result, the arguments it writes,
// or the parameter of the callback it is given.
func (l *linker) sourceStarts(fi, ci int, site *finding.CallSite, m *rules.Model) []vid {
	var out []vid
	if m.Out.Has(rules.PosReturn) {
		out = append(out, l.vertex(fi, finding.Port{K: finding.PortResult, C: ci}))
	}
	for i := -1; i < len(site.Args); i++ {
		if m.Out.Has(rules.Pos(i)) {
			if v, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: i}); ok {
				out = append(out, v)
			}
		}
	}
	if h := m.Hook; h != nil && int(h.Function) < len(site.Args) {
		if v, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: int(h.Function), G: CallbackParam(h.Param)}); ok {
			out = append(out, v) // a closure written at the call
		}
		if ref := site.Args[h.Function].Ref; ref != "" {
			for _, t := range l.p.byName(l.p.funcs[fi], ref, -1, false) {
				if v, ok := l.lookup(t, finding.Port{K: finding.PortParam, I: h.Param}); ok {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// state is a vertex with whether data may still return to any caller: it may until it
// descends into a callee, whose results reach the call through summary edges instead.
type state struct {
	v       vid
	descend bool
	// out is what a call wrote through one of its arguments (C+1 and I; 0 when the data
	// did not just leave a call that way), carried through the memory of the function
	// until the next port: that call's own argument at I is the buffer it wrote, and the
	// data must not go back into the call through it.
	outC, outI int32
}

// reach follows data from one origin through the program and calls visit for every vertex
// reached, with a function that recovers the hops that led there. visit returns false to
// stop early.
func (l *linker) reach(o *origin, rm *ruleModels, visit func(v vid, path func() []finding.Step) bool) {
	type back struct {
		prev  state
		steps []finding.Step
	}
	seen := map[state]back{}
	var queue []state
	for _, s := range o.starts {
		st := state{v: s}
		if _, ok := seen[st]; !ok {
			seen[st] = back{prev: state{v: -1}}
			queue = append(queue, st)
		}
	}
	pathTo := func(st state) func() []finding.Step {
		return func() []finding.Step {
			var chunks [][]finding.Step
			for u := st; u.v >= 0; u = seen[u].prev {
				chunks = append(chunks, seen[u].steps)
			}
			var out []finding.Step
			for i := len(chunks) - 1; i >= 0; i-- {
				out = appendSteps(out, chunks[i])
			}
			return out
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		if !visit(st.v, pathTo(st)) {
			return
		}
		cur := l.verts[st.v].port
		outC, outI := int32(0), int32(0)
		switch cur.K {
		case finding.PortArgOut:
			outC, outI = int32(cur.C)+1, int32(cur.I)
		case finding.PortNode:
			outC, outI = st.outC, st.outI
		}
		for _, e := range l.adj[st.v] {
			next := st
			next.v = e.to
			next.outC, next.outI = 0, 0
			if to := l.verts[e.to].port; e.kind == eLocal && outC != 0 {
				if to.K == finding.PortArg && int32(to.C)+1 == outC && int32(to.I) == outI {
					continue
				}
				if to.K == finding.PortNode {
					next.outC, next.outI = outC, outI
				}
			}
			switch e.kind {
			case eCall:
				next.descend = true
			case eReturn:
				if st.descend {
					continue
				}
			case eGlobal:
				next.descend = false
			case eDefault:
				if l.sanitized(rm, e.site) {
					continue
				}
			case eLocal:
				if l.sanitizedAny(rm, e.through) {
					continue
				}
			}
			if _, ok := seen[next]; ok {
				continue
			}
			seen[next] = back{prev: st, steps: e.steps}
			queue = append(queue, next)
		}
		for _, to := range l.ruleEdges(rm, st.v) {
			next := state{v: to.v, descend: st.descend} // a call's argument: no out to carry
			if _, ok := seen[next]; !ok {
				seen[next] = back{prev: st, steps: to.steps}
				queue = append(queue, next)
			}
		}
	}
}

type ruleEdge struct {
	v     vid
	steps []finding.Step
}

// ruleEdges are the rule's own propagators at an external call argument.
func (l *linker) ruleEdges(rm *ruleModels, v vid) []ruleEdge {
	gv := l.verts[v]
	if gv.port.K != finding.PortArg || rm.props.table.Empty() || len(l.p.callees[gv.fn][gv.port.C]) > 0 {
		return nil
	}
	f := l.p.funcs[gv.fn]
	site := &f.Calls[gv.port.C]
	names := l.siteNames(gv.fn, gv.port.C)
	var out []ruleEdge
	for _, m := range rm.props.match(names, site) {
		if !m.model.From.Has(rules.Pos(gv.port.I)) {
			continue
		}
		step := []finding.Step{{Location: site.Location, Message: "passed through " + site.Callee}}
		if m.model.To.Has(rules.PosReturn) {
			out = append(out, ruleEdge{l.vertex(gv.fn, finding.Port{K: finding.PortResult, C: gv.port.C}), step})
		}
		for i := -1; i < len(site.Args); i++ {
			if m.model.To.Has(rules.Pos(i)) {
				if o, ok := l.lookup(gv.fn, finding.Port{K: finding.PortArgOut, C: gv.port.C, I: i}); ok {
					out = append(out, ruleEdge{o, step})
				}
			}
		}
	}
	return out
}

// sanitized reports whether the rule's sanitizers stop data at a default edge's call.
func (l *linker) sanitized(rm *ruleModels, site int32) bool {
	if site < 0 || rm.sans.table.Empty() {
		return false
	}
	ref := l.sites[site]
	f := l.p.funcs[ref.fn]
	names := l.siteNames(ref.fn, ref.call)
	return len(rm.sans.match(names, &f.Calls[ref.call])) > 0
}

// sanitizedAny reports whether the rule's sanitizers stop data at any of the unknown calls a
// summary edge passes through.
func (l *linker) sanitizedAny(rm *ruleModels, sites []int32) bool {
	for _, s := range sites {
		if l.sanitized(rm, s) {
			return true
		}
	}
	return false
}

// sinkAt reports whether v is an argument a sink model of ms needs, and which.
func (l *linker) sinkAt(ms *models, v vid) (matched, bool) {
	gv := l.verts[v]
	if gv.fn < 0 || gv.port.K != finding.PortArg {
		return matched{}, false
	}
	site := &l.p.funcs[gv.fn].Calls[gv.port.C]
	names := l.siteNames(gv.fn, gv.port.C)
	for _, m := range ms.match(names, site) {
		if m.model.Arg.Has(rules.Pos(gv.port.I)) {
			return m, true
		}
	}
	return matched{}, false
}

// sourceStep is the first hop of every path: where the data was collected.
func (l *linker) sourceStep(o *origin) finding.Step {
	site := &l.p.funcs[o.fn].Calls[o.call]
	return finding.Step{Location: site.Location, Message: describe(o.model.Label, "read by", o.api)}
}

// describe words a model's label with the API that matched: the label says where the API
// goes ("file downloaded by {api}"), or the API follows it after verb.
func describe(label, verb, api string) string {
	if strings.Contains(label, "{api}") {
		return strings.ReplaceAll(label, "{api}", api)
	}
	return fmt.Sprintf("%s %s %s", label, verb, api)
}

func appendSteps(out, steps []finding.Step) []finding.Step {
	for _, s := range steps {
		if n := len(out); n > 0 && out[n-1] == s {
			continue
		}
		out = append(out, s)
	}
	return out
}
