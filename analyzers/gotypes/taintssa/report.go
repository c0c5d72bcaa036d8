package taintssa

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
	"glassbox/rules"
)

// The findings are the tree-sitter engine's (analyzers/taint, report.go and dispatch.go),
// field for field: the same messages, properties, locations and fingerprint keys, so that a
// baseline does not churn when a module starts to build and its Go files move from one
// engine to the other.

// findings turns hits into the rules' findings.
func (rs *ruleSet) findings(hits []Hit) []finding.Finding {
	var out []finding.Finding
	for _, rm := range rs.ordered {
		if rm.internal {
			continue
		}
		t := rm.rule.Taint
		var mine []Hit
		protocol := map[string]bool{}
		for _, h := range hits {
			switch {
			case h.Origin.Rule == rm.rule.ID:
				mine = append(mine, h)
			case rm.unless != "" && h.Origin.Rule == rm.unless && h.To.Kind == CompareTarget:
				protocol[h.To.Compare.Key()] = true
			}
		}
		switch {
		case t.Dispatch != nil:
			out = append(out, dispatchers(rm, mine)...)
		case t.Compare != nil:
			mine = slices.DeleteFunc(mine, func(h Hit) bool { return h.To.Kind == CompareTarget && protocol[h.To.Compare.Key()] })
			out = append(out, comparisons(rm, mine)...)
		default:
			out = append(out, flows(rm, mine)...)
		}
	}
	return finding.Sort(out)
}

// flows reports every source reaching a sink: one result per source call and sink call.
// A chained rule's result also needs what the sink call produced to reach a second-step
// sink.
func flows(rm *ruleModels, hits []Hit) []finding.Finding {
	thens := map[string]*Hit{}
	for i := range hits {
		h := &hits[i]
		if h.Origin.Then == nil || h.To.Kind != SinkTarget || !h.To.Sink.Then {
			continue
		}
		k := h.Origin.Then.Key()
		if best, ok := thens[k]; !ok || len(h.Steps) < len(best.Steps) {
			thens[k] = h
		}
	}
	var out []finding.Finding
	done := map[string]bool{}
	for i := range hits {
		h := &hits[i]
		if h.Origin.Then != nil || h.To.Kind != SinkTarget || h.To.Sink.Then {
			continue
		}
		sk := h.To.Sink
		k := locKey(h.Origin.Site) + "→" + locKey(sk.Site)
		if done[k] {
			continue
		}
		var then *Hit
		if len(rm.rule.Taint.Then) > 0 {
			if then = thens[sk.Key()]; then == nil {
				continue
			}
		}
		done[k] = true
		out = append(out, flowFinding(rm.rule, h, then))
	}
	return nearest(out)
}

func locKey(l finding.Location) string {
	return l.Path + ":" + itoa(l.Region.StartLine) + ":" + itoa(l.Region.StartColumn)
}

func flowFinding(r *rules.Rule, h *Hit, then *Hit) finding.Finding {
	o, sk := &h.Origin, h.To.Sink
	src := o.Step()
	steps := append([]finding.Step{src}, h.Steps...)
	steps = appendSteps(steps, []finding.Step{{Location: sk.Site, Message: sk.Label}})
	vars := map[string]string{"source": src.Message, "sink": sk.Label, "sourceKind": o.Kind, "sinkKind": sk.Kind,
		"sourceApi": o.API, "sinkApi": sk.API, "function": sk.Function}
	props := map[string]any{"sourceKind": o.Kind, "sourceApi": o.API, "sinkApi": sk.API, "sourceFunction": o.Function}
	if sk.Kind != "" {
		props["sinkKind"] = sk.Kind
	}
	if then != nil {
		ts := then.To.Sink
		vars["then"] = ts.Label
		props["thenApi"] = ts.API
		chain := append([]finding.Step{then.Origin.Step()}, then.Steps...)
		chain = appendSteps(chain, []finding.Step{{Location: ts.Site, Message: ts.Label}})
		steps = appendSteps(steps, chain)
	}
	loc := sk.Site
	loc.Function = sk.Function
	return finding.Finding{
		RuleID:     r.ID,
		Message:    match.Render(r.Message, func(k string) string { return vars[k] }),
		Location:   loc,
		Properties: props,
		Flow:       steps,
		Related:    []finding.Step{src},
		// As the tree-sitter engine's (taint.report): no line numbers, which the fingerprint
		// must survive.
		Key: sk.API + "<-" + o.API + "@" + o.Function,
	}
}

// nearest keeps, among results at one sink, those whose source is nearest to it: when the
// path from one source runs through the call of another source of the same rule, the farther
// result says nothing the nearer one does not.
func nearest(fs []finding.Finding) []finding.Finding {
	sources := map[string][]finding.Location{}
	for _, f := range fs {
		k := locKey(f.Location)
		sources[k] = append(sources[k], f.Related[0].Location)
	}
	var out []finding.Finding
	for _, f := range fs {
		mine := f.Related[0].Location
		farther := false
		for _, other := range sources[locKey(f.Location)] {
			if other == mine {
				continue
			}
			for _, st := range f.Flow[1:] {
				if st.Location.Path == other.Path && st.Location.Region.StartLine == other.Region.StartLine &&
					st.Location.Region.StartColumn >= other.Region.StartColumn && st.Location.Region.EndColumn <= other.Region.EndColumn {
					farther = true
				}
			}
		}
		if !farther {
			out = append(out, f)
		}
	}
	return out
}

// comparisons reports data of the sources compared against constants the rule cares about:
// one result per source call and function, listing the constants. With second-step sinks,
// the same source call's data must also reach one of them.
func comparisons(rm *ruleModels, hits []Hit) []finding.Finding {
	want := rm.rule.Taint.Compare.Values
	uploaded := map[string]bool{}
	for _, h := range hits {
		if h.To.Kind == SinkTarget && h.To.Sink.Then {
			uploaded[h.Origin.Key()] = true
		}
	}
	type group struct {
		o    Origin
		fn   string
		hits []Hit
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, h := range hits {
		if h.To.Kind != CompareTarget {
			continue
		}
		c := h.To.Compare
		if !slices.ContainsFunc(c.Constants(), func(s string) bool { return want == nil || want.MatchString(s) }) {
			continue
		}
		if len(rm.rule.Taint.Then) > 0 && !uploaded[h.Origin.Key()] {
			continue
		}
		k := h.Origin.Key() + "@" + c.Func
		g := byKey[k]
		if g == nil {
			g = &group{o: h.Origin, fn: c.Func}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.hits = append(g.hits, h)
	}
	var out []finding.Finding
	for _, g := range groups {
		out = append(out, compareFinding(rm.rule, g.o, g.fn, g.hits))
	}
	return out
}

func compareFinding(r *rules.Rule, o Origin, fn string, hits []Hit) finding.Finding {
	want := r.Taint.Compare.Values
	slices.SortFunc(hits, func(a, b Hit) int { return compareSites(a.To.Compare, b.To.Compare) })
	var vocab []string
	for _, h := range hits {
		for _, s := range h.To.Compare.Constants() {
			if (want == nil || want.MatchString(s)) && !slices.Contains(vocab, s) {
				vocab = append(vocab, s)
			}
		}
	}
	slices.Sort(vocab)
	first := hits[0].To.Compare
	src := o.Step()
	vars := map[string]string{"source": src.Message, "sourceKind": o.Kind, "sourceApi": o.API,
		"function": fn, "vocabulary": quoteList(vocab), "value": first.Value}
	loc := first.Site
	loc.Function = fn
	return finding.Finding{
		RuleID:   r.ID,
		Message:  match.Render(r.Message, func(k string) string { return vars[k] }),
		Location: loc,
		Properties: map[string]any{"sourceKind": o.Kind, "sourceApi": o.API, "vocabulary": vocab,
			"comparedValue": first.Value},
		Flow:    append([]finding.Step{src}, hits[0].Steps...),
		Related: []finding.Step{src},
		Key:     "compare<-" + o.API + "@" + fn + ":" + first.Value,
	}
}

func compareSites(a, b *Compare) int {
	la, lb := a.Site.Region, b.Site.Region
	return cmp.Or(cmp.Compare(a.Site.Path, b.Site.Path), cmp.Compare(la.StartLine, lb.StartLine), cmp.Compare(la.StartColumn, lb.StartColumn))
}

// dispatchers reports values from the network compared against several constants whose
// branches do different things: one result per function and compared variable, with its
// vocabulary and the actions each command reaches.
func dispatchers(rm *ruleModels, hits []Hit) []finding.Finding {
	type group struct {
		fn, value string
		origin    Origin
		hits      []Hit
	}
	byKey := map[string]*group{}
	var groups []*group
	for _, h := range hits {
		if h.To.Kind != CompareTarget {
			continue
		}
		c := h.To.Compare
		value := valueRoot(c.Value)
		if c.Table != "" {
			value = "table " + c.Table
		}
		k := c.Func + "\x00" + value
		g := byKey[k]
		if g == nil {
			g = &group{fn: c.Func, value: value, origin: h.Origin}
			byKey[k] = g
			groups = append(groups, g)
		}
		if !slices.ContainsFunc(g.hits, func(x Hit) bool { return x.To.Compare.Key() == c.Key() }) {
			g.hits = append(g.hits, h)
		}
	}
	slices.SortFunc(groups, func(a, b *group) int { return cmp.Or(cmp.Compare(a.fn, b.fn), cmp.Compare(a.value, b.value)) })
	var out []finding.Finding
	for _, g := range groups {
		if f, ok := dispatcher(rm, g.fn, g.origin, g.hits); ok {
			out = append(out, f)
		}
	}
	return out
}

func dispatcher(rm *ruleModels, fn string, o Origin, hits []Hit) (finding.Finding, bool) {
	d := rm.rule.Taint.Dispatch
	id := rm.rule.ID
	commands := map[string][]string{}
	reached := false
	for _, h := range hits {
		c := h.To.Compare
		if c.Table != "" {
			for _, row := range c.Rows {
				commands[row.Name] = merge(commands[row.Name], row.Actions[id])
				reached = reached || strong(d, row.Actions[id])
			}
			continue
		}
		if !d.Command(c.Const) {
			continue
		}
		commands[c.Const] = merge(commands[c.Const], c.Actions[id])
		reached = reached || strong(d, c.Actions[id])
	}
	vocab := make([]string, 0, len(commands))
	for c := range commands {
		vocab = append(vocab, c)
	}
	slices.Sort(vocab)
	if len(vocab) < d.Min || !reached {
		return finding.Finding{}, false
	}
	slices.SortFunc(hits, func(a, b Hit) int { return compareSites(a.To.Compare, b.To.Compare) })
	first := hits[0].To.Compare
	var kinds []string
	for _, acts := range commands {
		for _, a := range acts {
			kind, _, _ := strings.Cut(a, " (")
			if !slices.Contains(kinds, kind) {
				kinds = append(kinds, kind)
			}
		}
	}
	slices.Sort(kinds)
	src := o.Step()
	vars := map[string]string{"source": src.Message, "sourceKind": o.Kind, "sourceApi": o.API,
		"function": fn, "vocabulary": quoteList(vocab), "actions": strings.Join(kinds, ", "), "value": first.Value}
	loc := first.Site
	loc.Function = fn
	return finding.Finding{
		RuleID:   id,
		Message:  match.Render(rm.rule.Message, func(k string) string { return vars[k] }),
		Location: loc,
		Properties: map[string]any{"sourceKind": o.Kind, "sourceApi": o.API,
			"vocabulary": vocab, "commands": commands, "actionKinds": kinds, "comparedValue": first.Value},
		Flow:    append([]finding.Step{src}, hits[0].Steps...),
		Related: []finding.Step{src},
		Key:     "dispatch@" + fn + ":" + first.Value,
	}, true
}

// strong reports whether actions hold one that is not of a weak kind.
func strong(d *rules.Dispatch, acts []string) bool {
	for _, a := range acts {
		kind, _, _ := strings.Cut(a, " (")
		if !slices.Contains(d.Weak, kind) {
			return true
		}
	}
	return false
}

// valueRoot is the variable a compared expression reads: "cmd" for cmd, cmd[0] and pkt.cmd
// alike, so that every comparison of one received value forms one dispatcher.
func valueRoot(v string) string {
	if i := strings.IndexAny(v, "[.-( +*"); i > 0 {
		return v[:i]
	}
	return strings.TrimLeft(v, "*&(")
}

func merge(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	slices.Sort(a)
	return a
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "'" + brief(x) + "'"
	}
	return strings.Join(q, ", ")
}

func itoa(n int) string { return strconv.Itoa(n) }
