package taintssa

import (
	"maps"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// maxActionDepth bounds how deep into the call graph a branch's actions are looked for, as
// in the tree-sitter engine.
const maxActionDepth = 5

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
