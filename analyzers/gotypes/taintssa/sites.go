package taintssa

import (
	"go/types"
	"slices"

	"glassbox/rules"
)

// originSite is an origin of the function: a source call in it, or a source call inside a
// callee whose data the callee hands back.
type originSite struct {
	def   Origin
	node  int32
	hooks []*hookSite // a callback source: the data reaches functions the call is given
}

// hookSite is a source that delivers its data to a function it is given (filepath.Walk's
// callback, http.HandleFunc's handler): the data enters that function's parameter.
type hookSite struct {
	view  *call
	fnArg int
	param int
}

// origin returns the vertex of an origin, declaring it once.
func (g *graph) origin(def Origin) *originSite {
	key := def.Key()
	for _, o := range g.origins {
		if o.def.Key() == key {
			return o
		}
	}
	o := &originSite{def: def, node: g.node(nodeKey{kind: nOrigin, s: key})}
	g.origins = append(g.origins, o)
	return o
}

// models matches every call against the rules' sources, sinks and dispatch actions.
func (g *graph) models() {
	for _, s := range g.calls {
		for _, v := range s.views {
			if v.impl {
				continue
			}
			for _, rm := range g.pkg.rules.ordered {
				g.sources(v, rm)
				g.sinkModels(v, rm, rm.sinks, false)
				g.sinkModels(v, rm, rm.then, true)
				if rm.actions != nil {
					for _, m := range rm.actions.match(v) {
						g.pkg.addAction(g.fn, rm.rule.ID, s.idx, m.model.Kind+" ("+m.api+")")
					}
				}
			}
		}
	}
}

// sources declares the origins of a call that is one of rule rm's sources.
func (g *graph) sources(v *call, rm *ruleModels) {
	for _, m := range rm.sources.match(v) {
		def := Origin{Rule: rm.rule.ID, API: m.api, Kind: m.model.Kind, Label: describe(m.model.Label, "read by", m.api),
			Site: v.site.loc, Function: g.name}
		o := g.origin(def)
		g.fill(o.node, v, m.model.Out)
		if h := m.model.Hook; h != nil {
			o.hooks = append(o.hooks, &hookSite{view: v, fnArg: int(h.Function), param: h.Param})
		}
	}
}

// fill connects an origin to the positions a call fills: its results and the operands it
// writes through.
func (g *graph) fill(from int32, v *call, out rules.Positions) {
	if out.Has(rules.PosReturn) {
		for j := range max(v.site.nres, 1) {
			g.edge(from, g.result(v.site, j), -1)
		}
	}
	for i := -1; i < len(v.args); i++ {
		if out.Has(rules.Pos(i)) {
			if n, ok := g.argOut(v, i); ok {
				g.edge(from, n, -1)
			}
		}
	}
}

// sinkModels declares the sink arguments of a call that is one of rule rm's sinks (or, with then,
// one of its second-step sinks). A first-step sink of a chained rule also starts a
// then-origin: what the call produced, followed to the second-step sinks.
func (g *graph) sinkModels(v *call, rm *ruleModels, ms *models, then bool) {
	for _, m := range ms.match(v) {
		sk := &Sink{Rule: rm.rule.ID, API: m.api, Kind: m.model.Kind, Label: describe(m.model.Label, "by", m.api),
			Callee: v.site.callee, Site: v.site.loc, Function: g.name, Then: then}
		found := false
		for i := -1; i < len(v.args); i++ {
			if !m.model.Arg.Has(rules.Pos(i)) {
				continue
			}
			a, ok := g.argWide(v, i)
			if !ok {
				continue
			}
			n := g.node(nodeKey{kind: nSink, i: v.site.idx, j: i, s: sk.Key()})
			g.sinkAt[n] = &sinkNode{rule: rm, sink: sk}
			g.edge(a, n, -1)
			found = true
		}
		if found && !then && rm.thenAsSources {
			o := g.origin(Origin{Rule: rm.rule.ID, API: m.api, Kind: m.model.Kind, Site: v.site.loc, Function: g.name, Then: sk})
			all := rules.Positions{List: []rules.Pos{rules.PosReturn, rules.PosReceiver}, From: 0}
			g.fill(o.node, v, all)
			// What the call hands to a function it is given is what it produced too: the
			// paths filepath.Walk passes to its callback.
			for i, a := range v.args {
				if sig, ok := a.Type().Underlying().(*types.Signature); ok {
					for p := range sig.Params().Len() {
						o.hooks = append(o.hooks, &hookSite{view: v, fnArg: i, param: p})
					}
				}
			}
		}
	}
}

// addAction records a dispatch action a call of fn makes.
func (p *pkgAnalysis) addAction(fn any, rule string, call int, action string) {
	k := actionKey{fn, rule, call}
	if !slices.Contains(p.siteActions[k], action) {
		p.siteActions[k] = append(p.siteActions[k], action)
	}
}

type actionKey struct {
	fn   any
	rule string
	call int
}
