package taint

import (
	"fmt"
	"slices"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/rules"
)

// vid is a vertex of the linked program: a port of a function, or a global's hub.
type vid int32

type gvertex struct {
	fn   int // -1 for a global's hub
	port finding.Port
}

type ekind uint8

const (
	eLocal   ekind = iota // inside one function: flows, models, call summaries
	eCall                 // from an argument into the callee's parameter
	eReturn               // from a callee's result or out-parameter back to a call
	eGlobal               // through global or member state
	eDefault              // an unknown external call passing its arguments to its result
)

type gedge struct {
	to    vid
	kind  ekind
	site  int32 // the call site of a default edge (index into linker.sites), else -1
	steps []finding.Step
	// through are the unknown calls a summary edge passes through (default edges of the
	// callee and its callees): a rule's sanitizer among them stops the data there too.
	through []int32
}

// linker holds the linked program graph.
type linker struct {
	p     *program
	verts []gvertex
	idx   map[gvertex]vid
	adj   [][]gedge
	lib   *rules.Library
	props *models
	sans  *models
	cbs   *callbackTable
	// wrappers are the callbacks functions of the program stand for: a thin wrapper that
	// hands its parameters to CreateThread runs its function argument with its data.
	wrappers map[int][]rules.Callback
	sites    []callRef // every call site, for tagging default edges
	siteIdx  map[callRef]int32
	summary  []map[sumKey]sumPath     // function → param port → out port, with hops
	outs     []map[int][]finding.Port // function → parameter → its out-ports (one per field written)
	// variants holds, for arguments, parameters, results and returns, the vertices of one
	// port field by field (G "" for the whole value, ".host" for what one field holds).
	variants map[portKey][]vid
	names    map[callRef]callNames // the names of call sites, as siteNames found them
}

// siteNames returns the names call ci of function fi is known by (program.names), once per
// call: following data asks at every argument it passes.
func (l *linker) siteNames(fi, ci int) callNames {
	k := callRef{fi, ci}
	if cn, ok := l.names[k]; ok {
		return cn
	}
	f := l.p.funcs[fi]
	cn, _ := l.p.names(f, &f.Calls[ci])
	l.names[k] = cn
	return cn
}

// portKey is a port without its field.
type portKey struct {
	fn   int
	k    finding.PortKind
	c, i int
}

// fieldKinds are the ports whose data goes field by field (graph.connectFields).
func fieldKind(k finding.PortKind) bool {
	return k == finding.PortArg || k == finding.PortParam || k == finding.PortReturn || k == finding.PortResult
}

// ports returns every field variant of port p of function fn.
func (l *linker) ports(fn int, p finding.Port) []vid {
	return l.variants[portKey{fn, p.K, p.C, p.I}]
}

// fieldTargets are the ports of function fn, variants of port p, where data that the other
// side of a call holds in field g of a value arrives:
//   - whole data (g "") arrives at p itself;
//   - data in a field the other side named arrives at p with that field, else at p's other
//     fields (otherField), else at p;
//   - data in the fields the other side did not name (g otherField) may be in any field: it
//     arrives at p's other fields and at every field fn names, but not at p itself, which a
//     method call reads exactly (the object, not its fields); at p when fn names none.
func (l *linker) fieldTargets(fn int, p finding.Port, g string) []finding.Port {
	variant := func(g string) (finding.Port, bool) {
		q := p
		q.G = g
		_, ok := l.lookup(fn, q)
		return q, ok
	}
	var out []finding.Port
	switch g {
	case "":
	case otherField:
		for _, v := range l.ports(fn, p) {
			if q := l.verts[v].port; q.G != "" {
				out = append(out, q)
			}
		}
	default:
		for _, cand := range []string{g, otherField} {
			if q, ok := variant(cand); ok {
				return []finding.Port{q}
			}
		}
	}
	if len(out) == 0 {
		if q, ok := variant(""); ok {
			out = append(out, q)
		}
	}
	return out
}

type sumKey struct{ from, to finding.Port }

// sumPath is how a summary's parameter reaches its out port: the hops, and the unknown calls
// passed through (see gedge.through).
type sumPath struct {
	steps   []finding.Step
	through []int32
}

func (l *linker) vertex(fn int, p finding.Port) vid {
	k := gvertex{fn, p}
	if v, ok := l.idx[k]; ok {
		return v
	}
	v := vid(len(l.verts))
	l.verts = append(l.verts, k)
	l.adj = append(l.adj, nil)
	l.idx[k] = v
	return v
}

// lookup returns the vertex of a port if it exists.
func (l *linker) lookup(fn int, p finding.Port) (vid, bool) {
	v, ok := l.idx[gvertex{fn, p}]
	return v, ok
}

func (l *linker) edge(from, to vid, kind ekind, site int32, steps []finding.Step) {
	if from == to {
		return
	}
	for _, e := range l.adj[from] {
		if e.to == to && e.kind == kind {
			return
		}
	}
	l.adj[from] = append(l.adj[from], gedge{to: to, kind: kind, site: site, steps: steps})
}

// summaryEdge adds a callee's summary as an edge at a call.
func (l *linker) summaryEdge(from, to vid, sp sumPath) {
	if from == to {
		return
	}
	for _, e := range l.adj[from] {
		if e.to == to && e.kind == eLocal {
			return
		}
	}
	l.adj[from] = append(l.adj[from], gedge{to: to, kind: eLocal, site: -1, steps: sp.steps, through: sp.through})
}

func newLinker(p *program, lib *rules.Library) *linker {
	nodes, calls := 0, 0
	for _, f := range p.funcs {
		nodes, calls = nodes+len(f.Nodes), calls+len(f.Calls)
	}
	// Sized up front: growing the vertex tables and the index was a fifth of the link.
	l := &linker{p: p, idx: make(map[gvertex]vid, nodes), lib: lib, siteIdx: make(map[callRef]int32, calls),
		verts: make([]gvertex, 0, nodes), adj: make([][]gedge, 0, nodes), sites: make([]callRef, 0, calls),
		props: newModels(lib.Propagators), sans: newModels(lib.Sanitizers), cbs: newCallbacks(lib.Callbacks),
		variants: map[portKey][]vid{}, names: map[callRef]callNames{}}
	l.outs = make([]map[int][]finding.Port, len(p.funcs))
	for fi, f := range p.funcs {
		vs := make([]vid, len(f.Nodes))
		for i, n := range f.Nodes {
			vs[i] = l.vertex(fi, n)
			if fieldKind(n.K) {
				k := portKey{fi, n.K, n.C, n.I}
				l.variants[k] = append(l.variants[k], vs[i])
			}
			if n.K == finding.PortParamOut {
				if l.outs[fi] == nil {
					l.outs[fi] = map[int][]finding.Port{}
				}
				if !slices.Contains(l.outs[fi][n.I], n) {
					l.outs[fi][n.I] = append(l.outs[fi][n.I], n)
				}
			}
		}
		for _, e := range f.Edges {
			if int(e.From) >= len(vs) || int(e.To) >= len(vs) {
				continue // a damaged summary: its edge says nothing
			}
			var steps []finding.Step
			if e.Step >= 0 && int(e.Step) < len(f.Steps) {
				steps = f.Steps[e.Step : e.Step+1 : e.Step+1]
			}
			l.edge(vs[e.From], vs[e.To], eLocal, -1, steps)
		}
		for ci := range f.Calls {
			l.siteIdx[callRef{fi, ci}] = int32(len(l.sites))
			l.sites = append(l.sites, callRef{fi, ci})
		}
	}
	l.wrappers = l.wrapperCallbacks()
	for fi := range p.funcs {
		for ci := range p.funcs[fi].Calls {
			l.linkCall(fi, ci)
		}
	}
	l.linkGlobals()
	l.summarise()
	return l
}

// linkCall connects one call site: to the functions it calls, or through the library's
// models of an external call.
func (l *linker) linkCall(fi, ci int) {
	f := l.p.funcs[fi]
	site := &f.Calls[ci]
	targets := l.p.callees[fi][ci]
	for _, t := range targets {
		l.bind(fi, ci, t, site, identity)
	}
	names := l.siteNames(fi, ci)
	for _, cb := range l.cbs.match(names) {
		l.callback(fi, ci, site, cb)
	}
	for _, t := range targets {
		for i := range l.wrappers[t] {
			l.callback(fi, ci, site, &l.wrappers[t][i])
		}
		l.paramCalls(fi, ci, t)
	}
	if len(targets) > 0 {
		return
	}
	step := []finding.Step{{Location: site.Location, Message: "passed through " + site.Callee}}
	propagated := false
	for _, m := range l.props.match(names, site) {
		propagated = true
		l.propagate(fi, ci, site, m.model, step)
	}
	if propagated || len(l.sans.match(names, site)) > 0 {
		return
	}
	res := l.vertex(fi, finding.Port{K: finding.PortResult, C: ci})
	for i := -1; i < len(site.Args); i++ {
		for _, a := range l.ports(fi, finding.Port{K: finding.PortArg, C: ci, I: i}) {
			l.edge(a, res, eDefault, l.siteIdx[callRef{fi, ci}], step)
		}
	}
}

// identity maps a call's argument positions to the callee's parameters one to one.
func identity(i int) int { return i }

// bind links call ci of function fi to function t: arguments to parameters (mapped by
// param), the callee's result and out-parameters back to the call.
func (l *linker) bind(fi, ci, t int, site *finding.CallSite, param func(int) int) {
	callee := l.p.funcs[t]
	// A method found only by its name may belong to any class: the object the call is made
	// on is not handed to it, lest every object of the program meet every other.
	guessed := l.guessed(fi, ci, t)
	for i := -1; i < len(site.Args); i++ {
		pi := param(i)
		if i == -1 && (!callee.Receiver || guessed) || pi >= callee.Params && !callee.Variadic {
			continue
		}
		if pi >= callee.Params {
			if callee.Params == 0 {
				continue
			}
			pi = callee.Params - 1 // the variadic parameter takes the rest
		}
		for _, a := range l.ports(fi, finding.Port{K: finding.PortArg, C: ci, I: i}) {
			for _, pp := range l.fieldTargets(t, finding.Port{K: finding.PortParam, I: pi}, l.verts[a].port.G) {
				l.edge(a, l.idx[gvertex{t, pp}], eCall, -1, nil)
			}
		}
		// What the callee writes through the parameter comes back even when nothing
		// flows in: Collect(buf) filling a fresh local.
		for _, out := range l.outs[t][pi] {
			po, _ := l.lookup(t, out)
			for _, to := range l.callOuts(fi, ci, finding.Port{K: finding.PortParamOut, I: i, G: out.G}) {
				l.edge(po, to, eReturn, -1, []finding.Step{{Location: site.Location, Message: "written by " + callee.Name}})
			}
		}
	}
	for _, r := range l.ports(t, finding.Port{K: finding.PortReturn}) {
		for _, to := range l.callOuts(fi, ci, l.verts[r].port) {
			l.edge(r, to, eReturn, -1, []finding.Step{{Location: site.Location, Message: "returned by " + callee.Name}})
		}
	}
}

// paramCalls links the calls callee t makes through its parameters to what call ci of
// function fi passes there: a function of the program (`Walk(dir, visit)`), whose parameters
// get the arguments and whose result comes back, or a closure written in place (sliver's
// `handler(data, func(b []byte, err error) { conn.Write(b) })`), whose parameters are fi's.
func (l *linker) paramCalls(fi, ci, t int) {
	caller, callee := l.p.funcs[fi], l.p.funcs[t]
	site := &caller.Calls[ci]
	for c2 := range callee.Calls {
		inner := &callee.Calls[c2]
		p := inner.Param - 1
		if p < 0 || p >= len(site.Args) {
			continue
		}
		if ref := site.Args[p].Ref; ref != "" {
			for _, u := range l.p.byName(caller, ref, len(inner.Args), false) {
				l.bind(t, c2, u, inner, identity)
			}
			continue
		}
		for k := range inner.Args {
			o, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: p, G: CallbackParam(k)})
			if !ok {
				continue
			}
			for _, a := range l.ports(t, finding.Port{K: finding.PortArg, C: c2, I: k}) {
				l.edge(a, o, eCall, -1, []finding.Step{{Location: inner.Location,
					Message: fmt.Sprintf("handed to the function %s passes to %s", caller.Name, callee.Name)}})
			}
		}
	}
}

// wrapperCallbacks finds the functions that pass a parameter to a callback's function
// position and others to its data — `_createThread(flags, proc, arg)` calling
// `CreateThread(NULL, 0, proc, arg, flags, NULL)` — and describes them as callbacks of their
// own, in terms of their parameters; wrappers of wrappers too, to a fixpoint.
func (l *linker) wrapperCallbacks() map[int][]rules.Callback {
	out := map[int][]rules.Callback{}
	for changed, round := true, 0; changed && round < 8; round++ {
		changed = false
		for fi, f := range l.p.funcs {
			for ci := range f.Calls {
				site := &f.Calls[ci]
				cbs := l.cbs.match(l.siteNames(fi, ci))
				for _, t := range l.p.callees[fi][ci] {
					for i := range out[t] {
						cbs = append(cbs, &out[t][i])
					}
				}
				for _, cb := range cbs {
					if w, ok := asWrapper(site, cb); ok && !slices.ContainsFunc(out[fi], func(c rules.Callback) bool { return sameCallback(c, w) }) {
						out[fi] = append(out[fi], w)
						changed = true
					}
				}
			}
		}
	}
	return out
}

// asWrapper restates callback cb, made at site, in the calling function's parameters, when
// its function and at least one of its data arguments are parameters.
func asWrapper(site *finding.CallSite, cb *rules.Callback) (rules.Callback, bool) {
	fn := int(cb.Function)
	if fn < 0 || fn >= len(site.Args) || site.Args[fn].Param == 0 {
		return rules.Callback{}, false
	}
	w := rules.Callback{Function: rules.Pos(site.Args[fn].Param - 1), Data: rules.Positions{From: -1}, Param: cb.Param}
	for i, a := range site.Args {
		if cb.Data.Has(rules.Pos(i)) {
			if a.Param == 0 {
				return rules.Callback{}, false // data the wrapper makes itself: not a plain hand-over
			}
			w.Data.List = append(w.Data.List, rules.Pos(a.Param-1))
		}
	}
	return w, len(w.Data.List) > 0
}

func sameCallback(a, b rules.Callback) bool {
	return a.Function == b.Function && a.Param == b.Param && slices.Equal(a.Data.List, b.Data.List)
}

// callback links CreateThread(…, fn, arg, …) as a call of fn with arg.
func (l *linker) callback(fi, ci int, site *finding.CallSite, cb *rules.Callback) {
	fn := int(cb.Function)
	if fn >= len(site.Args) {
		return
	}
	caller := l.p.funcs[fi]
	targets := l.p.byName(caller, site.Args[fn].Ref, -1, false)
	var data []int
	for i := range site.Args {
		if cb.Data.Has(rules.Pos(i)) {
			data = append(data, i)
		}
	}
	// A closure or lambda passed in place receives the data in its parameters directly.
	for k, i := range data {
		p, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: fn, G: CallbackParam(cb.Param + k)})
		if !ok {
			continue
		}
		for _, a := range l.ports(fi, finding.Port{K: finding.PortArg, C: ci, I: i}) {
			l.edge(a, p, eLocal, -1, []finding.Step{{Location: site.Location, Message: "handed to the function passed to " + site.Callee}})
		}
	}
	for _, t := range targets {
		for k, i := range data {
			for _, a := range l.ports(fi, finding.Port{K: finding.PortArg, C: ci, I: i}) {
				for _, pp := range l.fieldTargets(t, finding.Port{K: finding.PortParam, I: cb.Param + k}, l.verts[a].port.G) {
					l.edge(a, l.idx[gvertex{t, pp}], eCall, -1, []finding.Step{{Location: site.Location,
						Message: fmt.Sprintf("handed to %s by %s", l.p.funcs[t].Name, site.Callee)}})
				}
			}
		}
	}
}

// propagate adds a propagator's edges at an external call.
func (l *linker) propagate(fi, ci int, site *finding.CallSite, m *rules.Model, step []finding.Step) {
	var froms []vid
	for i := -1; i < len(site.Args); i++ {
		pos := rules.Pos(i)
		if m.From.Has(pos) {
			froms = append(froms, l.ports(fi, finding.Port{K: finding.PortArg, C: ci, I: i})...)
		}
	}
	var tos []vid
	if m.To.Has(rules.PosReturn) {
		tos = append(tos, l.vertex(fi, finding.Port{K: finding.PortResult, C: ci}))
	}
	for i := -1; i < len(site.Args); i++ {
		if m.To.Has(rules.Pos(i)) {
			if o, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: i}); ok {
				tos = append(tos, o)
			}
		}
	}
	for _, a := range froms {
		for _, o := range tos {
			l.edge(a, o, eLocal, -1, step)
		}
	}
}

// linkGlobals joins every write of a global or member to every read of it, through a hub.
func (l *linker) linkGlobals() {
	hubs := map[string]vid{}
	hub := func(g string) vid {
		g = l.p.globalOrMember(g)
		if v, ok := hubs[g]; ok {
			return v
		}
		v := l.vertex(-1, finding.Port{K: finding.PortGlobalOut, G: g})
		hubs[g] = v
		return v
	}
	n := len(l.verts)
	for v := 0; v < n; v++ {
		gv := l.verts[v]
		switch gv.port.K {
		case finding.PortGlobalOut:
			if gv.fn >= 0 {
				l.edge(vid(v), hub(gv.port.G), eGlobal, -1, []finding.Step{{Location: l.p.funcs[gv.fn].Location,
					Message: "stored in " + globalName(gv.port.G) + " by " + l.p.funcs[gv.fn].Name}})
			}
		case finding.PortGlobalIn:
			l.edge(hub(gv.port.G), vid(v), eGlobal, -1, nil)
		}
	}
}

// globalName is how a message names a global key: "g:g_host@a.c" → "g_host",
// "cpp:Agent::m_data" → "Agent::m_data", "go:internal/agent:Agent.data" → "Agent.data".
func globalName(key string) string {
	k := key
	if i := strings.IndexByte(k, ':'); i >= 0 {
		k = k[i+1:]
	}
	if strings.HasPrefix(key, "go:") {
		k = k[strings.LastIndexByte(k, ':')+1:]
	}
	if i := strings.IndexByte(k, '@'); i >= 0 {
		k = k[:i]
	}
	return k
}
