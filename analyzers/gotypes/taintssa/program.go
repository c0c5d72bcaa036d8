package taintssa

import (
	"cmp"
	"fmt"
	"slices"

	"glassbox/analyzers/finding"
)

// Program is what one package adds to the picture of the whole program: the origins it
// stores in hubs, the flows from hubs it reads, the hits it finds, and the findings it has
// reported. It travels to the packages that import it as a package fact, so that data one
// package stores in a field and another sends is still found, by whichever package sees
// both halves first.
type Program struct {
	Contents []HubContent `json:",omitempty"`
	HubEdges []HubEdge    `json:",omitempty"`
	Hits     []Hit        `json:",omitempty"`
	Written  []string     `json:",omitempty"` // hubs the package writes
	Reported []string     `json:",omitempty"` // identities of the findings it reported
}

// HubContent is an origin that reaches a hub.
type HubContent struct {
	Hub    string
	Origin Origin
	Steps  []finding.Step `json:",omitempty"`
}

// HubEdge is data read from a hub that reaches another hub, a sink or a comparison, for the
// rules of one group.
type HubEdge struct {
	Group string
	Hub   string
	To    Target
	Steps []finding.Step `json:",omitempty"`
}

// Hit is an origin that reaches a sink or a comparison.
type Hit struct {
	Origin Origin
	To     Target
	Steps  []finding.Step `json:",omitempty"`
}

func (h *Hit) key() string { return h.Origin.Key() + "→" + targetKey(h.To) }

func targetKey(t Target) string {
	switch t.Kind {
	case SinkTarget:
		return "sink " + t.Sink.Key()
	case CompareTarget:
		return "compare " + t.Compare.Key()
	}
	return t.String()
}

// solve joins the package's program with its dependencies' and returns every hit that
// follows: the hits found directly, and those of origins reaching sinks and comparisons
// through hubs.
func (rs *ruleSet) solve(progs []*Program) []Hit {
	var hits []Hit
	edges := map[string][]*HubEdge{}
	type item struct {
		hub    string
		origin Origin
		steps  []finding.Step
	}
	var queue []item
	seen := map[string]bool{}
	push := func(hub string, o Origin, steps []finding.Step) {
		k := hub + "|" + o.Key()
		if !seen[k] {
			seen[k] = true
			queue = append(queue, item{hub, o, steps})
		}
	}
	for _, p := range progs {
		hits = append(hits, p.Hits...)
		for i := range p.HubEdges {
			e := &p.HubEdges[i]
			edges[e.Hub] = append(edges[e.Hub], e)
		}
	}
	for _, p := range progs {
		for _, c := range p.Contents {
			push(c.Hub, c.Origin, c.Steps)
		}
	}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		for _, e := range edges[it.hub] {
			if g := rs.groupOf(it.origin.Rule); g == nil || g.key != e.Group {
				continue
			}
			steps := clip(appendSteps(slices.Clone(it.steps), e.Steps))
			switch e.To.Kind {
			case HubTarget:
				push(e.To.Hub, it.origin, steps)
			case SinkTarget, CompareTarget:
				if accepts(rs, &it.origin, e.To) {
					hits = append(hits, Hit{Origin: it.origin, To: e.To, Steps: steps})
				}
			}
		}
	}
	return dedupHits(hits)
}

// clip keeps the first and last hops of a long path.
func clip(steps []finding.Step) []finding.Step {
	if len(steps) > maxSteps {
		return append(steps[:maxSteps/2:maxSteps/2], steps[len(steps)-maxSteps/2:]...)
	}
	return steps
}

// groupOf is the group of a rule.
func (rs *ruleSet) groupOf(id string) *group {
	for _, g := range rs.groups {
		if g.has(id) {
			return g
		}
	}
	return nil
}

// dedupHits keeps one hit per origin and target, the one with the fewest hops, in a stable
// order.
func dedupHits(hits []Hit) []Hit {
	slices.SortStableFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.key(), b.key()), cmp.Compare(len(a.Steps), len(b.Steps)))
	})
	return slices.CompactFunc(hits, func(a, b Hit) bool { return a.key() == b.key() })
}

// identity names a finding for telling which were already reported.
func identity(f *finding.Finding) string {
	return fmt.Sprintf("%s|%s:%d:%d|%s", f.RuleID, f.Location.Path, f.Location.Region.StartLine, f.Location.Region.StartColumn, f.Key)
}
