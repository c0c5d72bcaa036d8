package taintssa

import (
	"maps"
	"slices"

	"glassbox/analyzers/finding"
)

// maxSteps bounds the hops a path keeps: a code flow of a hundred steps helps nobody.
const maxSteps = 40

// reached is a target one input reaches, with the hops on the way.
type reached struct {
	to    Target
	steps []finding.Step
}

// reach follows data from one input vertex through the function, by the shortest path, and
// returns every target it reaches.
func (pr *prop) reach(start int32) []reached {
	g := pr.g
	type back struct{ prev, step int32 }
	seen := map[int32]back{start: {-1, -1}}
	queue := []int32{start}
	var out []reached
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if t, ok := pr.target(n); ok && n != start {
			out = append(out, reached{to: t, steps: pr.path(n, func(u int32) (int32, int32) { b := seen[u]; return b.prev, b.step })})
		}
		for _, es := range [2][]edge{g.adj[n], pr.adj[n]} {
			for _, e := range es {
				if _, ok := seen[e.to]; ok {
					continue
				}
				seen[e.to] = back{n, e.step}
				queue = append(queue, e.to)
			}
		}
	}
	return out
}

// target reports whether vertex n is somewhere data can end up.
func (pr *prop) target(n int32) (Target, bool) {
	g := pr.g
	k := g.nodes[n]
	switch k.kind {
	case nReturn:
		return Target{Kind: ReturnTarget, Index: k.i}, true
	case nCell:
		if k.o.kind == oParam {
			return Target{Kind: ParamTarget, Index: k.o.i}, true
		}
	case nHubOut:
		return Target{Kind: HubTarget, Hub: k.s}, true
	case nSink:
		return Target{Kind: SinkTarget, Sink: g.sinkAt[n].sink}, true
	case nCompare:
		return Target{Kind: CompareTarget, Compare: g.cmps[k.i]}, true
	case nHit:
		t, ok := pr.hits[n]
		return t, ok
	}
	return Target{}, false
}

// path recovers the hops that led to v.
func (pr *prop) path(v int32, prev func(int32) (int32, int32)) []finding.Step {
	var chunks [][]finding.Step
	for u := v; ; {
		p, st := prev(u)
		if p < 0 {
			break
		}
		if st >= 0 {
			chunks = append(chunks, pr.g.steps[st])
		}
		u = p
	}
	var out []finding.Step
	for i := len(chunks) - 1; i >= 0; i-- {
		out = appendSteps(out, chunks[i])
	}
	if len(out) > maxSteps {
		out = append(out[:maxSteps/2:maxSteps/2], out[len(out)-maxSteps/2:]...)
	}
	return out
}

// appendSteps appends hops, dropping one that repeats the last.
func appendSteps(out, steps []finding.Step) []finding.Step {
	for _, s := range steps {
		if n := len(out); n > 0 && out[n-1] == s {
			continue
		}
		out = append(out, s)
	}
	return out
}

// inGroup reports whether rule id is one of the group's rules.
func (grp *group) has(id string) bool {
	return slices.ContainsFunc(grp.rules, func(r *ruleModels) bool { return r.rule.ID == id })
}

// wantsCompares reports whether any rule of the group ends at comparisons.
func (grp *group) wantsCompares() bool {
	return slices.ContainsFunc(grp.rules, func(r *ruleModels) bool {
		return r.rule.Taint.Compare != nil || r.rule.Taint.Dispatch != nil
	})
}

// keep says whether a target is worth a summary edge for the group.
func (pr *prop) keep(t Target) bool {
	switch t.Kind {
	case SinkTarget:
		return pr.grp.has(t.Sink.Rule)
	case CompareTarget:
		return pr.grp.wantsCompares()
	}
	return true
}

// summarize computes the function's summary for the group: what each parameter reaches,
// and which hubs and origins reach its results and out-parameters.
func (pr *prop) summarize() *Summary {
	g := pr.g
	s := &Summary{}
	for i := range g.nParams {
		n, ok := g.lookup(nodeKey{kind: nParam, i: i})
		if !ok {
			continue
		}
		for _, r := range pr.reach(n) {
			if !pr.keep(r.to) || r.to.Kind == ParamTarget && r.to.Index == i {
				continue
			}
			s.Edges = append(s.Edges, Edge{From: Label{Kind: ParamLabel, Index: i}, To: r.to, Steps: r.steps})
		}
	}
	for _, n := range pr.invokeNodes() {
		for _, r := range pr.reach(n) {
			if pr.keep(r.to) {
				s.Edges = append(s.Edges, Edge{From: pr.invokes[n], To: r.to, Steps: r.steps})
			}
		}
	}
	for _, hub := range pr.hubsRead() {
		for _, r := range pr.reach(g.hubIn(hub)) {
			if r.to.Kind == ReturnTarget || r.to.Kind == ParamTarget || r.to.Kind == InvokeTarget {
				s.Edges = append(s.Edges, Edge{From: Label{Kind: HubLabel, Hub: hub}, To: r.to, Steps: r.steps})
			}
		}
	}
	for _, o := range pr.origins {
		if !pr.grp.has(o.def.Rule) {
			continue
		}
		idx := -1
		for _, r := range pr.reach(o.node) {
			if r.to.Kind != ReturnTarget && r.to.Kind != ParamTarget && r.to.Kind != InvokeTarget {
				continue
			}
			if idx < 0 {
				idx = len(s.Origins)
				s.Origins = append(s.Origins, o.def)
			}
			s.Edges = append(s.Edges, Edge{From: Label{Kind: OriginLabel, Index: idx}, To: r.to, Steps: r.steps})
		}
	}
	return s
}

// invokeNodes lists the invoke labels' vertices in a stable order.
func (pr *prop) invokeNodes() []int32 {
	out := slices.Collect(maps.Keys(pr.invokes))
	slices.Sort(out)
	return out
}

// hubsRead lists the hubs the function reads, in a stable order.
func (pr *prop) hubsRead() []string {
	var out []string
	for _, k := range pr.g.nodes {
		if k.kind == nHubIn {
			out = append(out, k.s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// collect adds what the function's origins and hub reads reach to the package's program:
// sinks and comparisons reached (hits), hubs written (contents), and hub-to-target flows.
func (pr *prop) collect(prog *Program) {
	g := pr.g
	for _, o := range pr.origins {
		if !pr.grp.has(o.def.Rule) {
			continue
		}
		for _, r := range pr.reach(o.node) {
			switch r.to.Kind {
			case HubTarget:
				prog.Contents = append(prog.Contents, HubContent{Hub: r.to.Hub, Origin: o.def, Steps: r.steps})
			case SinkTarget, CompareTarget:
				if accepts(g.pkg.rules, &o.def, r.to) {
					prog.Hits = append(prog.Hits, Hit{Origin: o.def, To: r.to, Steps: r.steps})
				}
			}
		}
	}
	for _, hub := range pr.hubsRead() {
		for _, r := range pr.reach(g.hubIn(hub)) {
			switch r.to.Kind {
			case HubTarget, SinkTarget, CompareTarget:
				if r.to.Kind == HubTarget && r.to.Hub == hub || !pr.keep(r.to) {
					continue
				}
				prog.HubEdges = append(prog.HubEdges, HubEdge{Group: pr.grp.key, Hub: hub, To: r.to, Steps: r.steps})
			}
		}
	}
}

// accepts reports whether data of origin o counts at target t: a sink of its own rule (the
// second-step sinks take what a first-step sink produced, or, for a comparison rule, the
// source's own data), or a comparison for a rule that ends at comparisons.
func accepts(rs *ruleSet, o *Origin, t Target) bool {
	rm := rs.byID[o.Rule]
	if rm == nil {
		return false
	}
	switch t.Kind {
	case SinkTarget:
		if t.Sink.Rule != o.Rule {
			return false
		}
		if t.Sink.Then {
			return o.Then != nil || rm.rule.Taint.Compare != nil
		}
		return o.Then == nil
	case CompareTarget:
		return o.Then == nil && (rm.rule.Taint.Compare != nil || rm.rule.Taint.Dispatch != nil)
	}
	return false
}
