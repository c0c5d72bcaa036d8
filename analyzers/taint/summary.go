package taint

import (
	"cmp"
	"slices"

	"glassbox/analyzers/finding"
)

// maxSteps bounds the hops a path keeps: a code flow of a hundred steps helps nobody.
const maxSteps = 40

// summarise computes, for every function, which of its parameters reach its result and its
// out-parameters, and adds those as edges at every call of it: a call then carries data from
// its arguments to its result without the analysis re-entering the callee, which keeps paths
// realisable (data entering at one call site leaves at the same one). Summaries depend on
// callees' summaries, so they are iterated to a fixpoint; recursion only adds nothing new.
func (l *linker) summarise() {
	p := l.p
	l.summary = make([]map[sumKey]sumPath, len(p.funcs))
	queued := make([]bool, len(p.funcs))
	var work []int
	for fi := len(p.funcs) - 1; fi >= 0; fi-- {
		work = append(work, fi)
		queued[fi] = true
	}
	for len(work) > 0 {
		fi := work[len(work)-1]
		work = work[:len(work)-1]
		queued[fi] = false
		if !l.summariseOne(fi) {
			continue
		}
		for _, c := range p.callers[fi] {
			if !queued[c.fn] {
				queued[c.fn] = true
				work = append(work, c.fn)
			}
		}
	}
	for fi := range p.funcs {
		for ci := range p.funcs[fi].Calls {
			for _, t := range p.callees[fi][ci] {
				l.applySummary(fi, ci, t)
			}
		}
	}
}

// summariseOne recomputes one function's summary and reports whether it grew.
func (l *linker) summariseOne(fi int) bool {
	f := l.p.funcs[fi]
	if l.summary[fi] == nil {
		l.summary[fi] = map[sumKey]sumPath{}
	}
	grew := false
	for i := -1; i < f.Params; i++ {
		for _, start := range l.ports(fi, finding.Port{K: finding.PortParam, I: i}) {
			from := l.verts[start].port
			for to, sp := range l.localReach(fi, start) {
				k := sumKey{from, to}
				if _, seen := l.summary[fi][k]; !seen {
					l.summary[fi][k] = sp
					grew = true
				}
			}
		}
	}
	return grew
}

// localReach follows one function's local edges, and its calls through their callees'
// current summaries, from start to the function's result and out-parameters.
func (l *linker) localReach(fi int, start vid) map[finding.Port]sumPath {
	type visit struct {
		prev    vid
		steps   []finding.Step
		through []int32
	}
	seen := map[vid]visit{start: {prev: -1}}
	queue := []vid{start}
	out := map[finding.Port]sumPath{}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		next := func(to vid, steps []finding.Step, through []int32) {
			if _, ok := seen[to]; ok {
				return
			}
			seen[to] = visit{prev: v, steps: steps, through: through}
			queue = append(queue, to)
			if k := l.verts[to].port.K; k == finding.PortReturn || k == finding.PortParamOut {
				var sites []int32
				for u := to; u != start; u = seen[u].prev {
					for _, s := range seen[u].through {
						if !slices.Contains(sites, s) {
							sites = append(sites, s)
						}
					}
				}
				slices.Sort(sites)
				out[l.verts[to].port] = sumPath{steps: l.path(to, func(u vid) (vid, []finding.Step) { return seen[u].prev, seen[u].steps }), through: sites}
			}
		}
		for _, e := range l.adj[v] {
			switch e.kind {
			case eLocal:
				next(e.to, e.steps, e.through)
			case eDefault:
				next(e.to, e.steps, []int32{e.site})
			}
		}
		// Through a call: the callee's summary, as it stands.
		if pt := l.verts[v].port; pt.K == finding.PortArg {
			for _, t := range l.p.callees[fi][pt.C] {
				// In key order: the first path to a vertex is the one kept, and callOuts
				// creates vertices, so map order would change the paths reported.
				for _, k := range l.summaryKeys(t) {
					if k.from.I != pt.I || k.from.I == -1 && l.guessed(fi, pt.C, t) || !l.lands(t, pt, k.from) {
						continue
					}
					for _, to := range l.callOuts(fi, pt.C, k.to) {
						next(to, l.summary[t][k].steps, l.summary[t][k].through)
					}
				}
			}
		}
	}
	return out
}

// callOuts are the ports of call ci where a callee's result or out-parameter arrives: what
// the callee returned in one field lands where the caller reads that field (fieldTargets);
// what it wrote into one field of an argument lands in that field of the argument when the
// caller reads it by name, else among the fields it does not (see otherField).
func (l *linker) callOuts(fi, ci int, calleePort finding.Port) []vid {
	switch calleePort.K {
	case finding.PortReturn:
		var out []vid
		for _, p := range l.fieldTargets(fi, finding.Port{K: finding.PortResult, C: ci}, calleePort.G) {
			out = append(out, l.idx[gvertex{fi, p}])
		}
		if len(out) == 0 {
			out = append(out, l.vertex(fi, finding.Port{K: finding.PortResult, C: ci}))
		}
		return out
	case finding.PortParamOut:
		if calleePort.G != "" {
			for _, g := range []string{calleePort.G, otherField} {
				if v, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: calleePort.I, G: g}); ok {
					return []vid{v}
				}
			}
			return nil // the caller never reads that field, nor the whole object
		}
		if v, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: calleePort.I}); ok {
			return []vid{v}
		}
	}
	return nil
}

// lands reports whether what argument port arg carries enters callee t at parameter port
// param (see fieldPort).
func (l *linker) lands(t int, arg, param finding.Port) bool {
	return slices.Contains(l.fieldTargets(t, finding.Port{K: finding.PortParam, I: param.I}, arg.G), param)
}

// applySummary adds the summary edges of callee t at call ci of function fi.
func (l *linker) applySummary(fi, ci, t int) {
	for _, k := range l.summaryKeys(t) {
		if k.from.I == -1 && l.guessed(fi, ci, t) {
			continue // see bind
		}
		for _, a := range l.ports(fi, finding.Port{K: finding.PortArg, C: ci, I: k.from.I}) {
			if !l.lands(t, l.verts[a].port, k.from) {
				continue
			}
			for _, to := range l.callOuts(fi, ci, k.to) {
				l.summaryEdge(a, to, l.summary[t][k])
			}
		}
	}
}

// guessed reports whether call ci of fi reaches t only by t's method name.
func (l *linker) guessed(fi, ci, t int) bool {
	return slices.Contains(l.p.guessed[callRef{fi, ci}], t)
}

// summaryKeys are the keys of function t's summary, in a fixed order.
func (l *linker) summaryKeys(t int) []sumKey {
	keys := make([]sumKey, 0, len(l.summary[t]))
	for k := range l.summary[t] {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b sumKey) int {
		return cmp.Or(cmp.Compare(a.from.K, b.from.K), cmp.Compare(a.from.I, b.from.I), cmp.Compare(a.to.K, b.to.K),
			cmp.Compare(a.to.I, b.to.I), cmp.Compare(a.to.G, b.to.G))
	})
	return keys
}

// path recovers the hops that led to v, given each vertex's predecessor and the hops of the
// edge it came by.
func (l *linker) path(v vid, prev func(vid) (vid, []finding.Step)) []finding.Step {
	var chunks [][]finding.Step
	for u := v; ; {
		p, steps := prev(u)
		if p < 0 {
			break
		}
		chunks = append(chunks, steps)
		u = p
	}
	var out []finding.Step
	for i := len(chunks) - 1; i >= 0; i-- {
		for _, s := range chunks[i] {
			if n := len(out); n > 0 && out[n-1] == s {
				continue
			}
			out = append(out, s)
		}
	}
	if len(out) > maxSteps {
		out = append(out[:maxSteps/2], out[len(out)-maxSteps/2:]...)
	}
	return out
}
