package taint

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
	"glassbox/rules"
)

// Link joins the summaries of every file of a scan and reports what the set's taint rules
// find in the whole program. It is the link step the coordinator runs once every file's
// result is in; results may arrive in any order.
func Link(results []finding.FileResult, set *rules.Set) []finding.Finding {
	var taintRules []*rules.Rule
	for _, r := range set.Rules() {
		if r.Taint != nil {
			taintRules = append(taintRules, r)
		}
	}
	if len(taintRules) == 0 {
		return nil
	}
	l := newLinker(newProgram(results), set.Library())
	var out []finding.Finding
	for _, r := range taintRules {
		rm := newRuleModels(r)
		switch {
		case r.Taint.Dispatch != nil:
			out = append(out, l.dispatchers(rm)...)
		case r.Taint.Compare != nil:
			out = append(out, l.comparisons(rm)...)
		default:
			out = append(out, l.flows(rm)...)
		}
	}
	return out
}

// flows reports every source reaching a sink: one result per source call and sink call.
func (l *linker) flows(rm *ruleModels) []finding.Finding {
	var out []finding.Finding
	done := map[[2]callRef]bool{}
	// Where a first-step sink's products go depends on the sink call alone: each call is
	// followed once, however many origins reach it.
	thens := map[callRef]*thenHit{}
	for _, o := range l.origins(rm) {
		l.reach(o, rm, func(v vid, path func() []finding.Step) bool {
			m, ok := l.sinkAt(rm.sinks, v)
			if !ok {
				return true
			}
			gv := l.verts[v]
			key := [2]callRef{{o.fn, o.call}, {gv.fn, gv.port.C}}
			if done[key] {
				return true
			}
			steps := append([]finding.Step{l.sourceStep(o)}, path()...)
			steps = append(steps, l.sinkStep(gv.fn, gv.port.C, m))
			var then *thenHit
			if len(rm.rule.Taint.Then) > 0 {
				at := callRef{gv.fn, gv.port.C}
				var seen bool
				if then, seen = thens[at]; !seen {
					then = l.then(rm, gv.fn, gv.port.C)
					thens[at] = then
				}
				if then == nil {
					return true
				}
				steps = appendSteps(steps, then.steps)
			}
			done[key] = true
			out = append(out, l.flowFinding(rm.rule, o, gv.fn, gv.port.C, m, then, steps))
			return true
		})
	}
	return nearest(out)
}

// nearest keeps, among results at one sink, those whose source is nearest to it: when the
// path from one source runs through the call of another source of the same rule (a file
// handle from CreateFile read by ReadFile into the buffer that is sent), the farther result
// says nothing the nearer one does not.
func nearest(fs []finding.Finding) []finding.Finding {
	type at struct {
		path string
		line int
		col  int
	}
	sources := map[at][]finding.Location{}
	for _, f := range fs {
		k := at{f.Location.Path, f.Location.Region.StartLine, f.Location.Region.StartColumn}
		sources[k] = append(sources[k], f.Related[0].Location)
	}
	var out []finding.Finding
	for _, f := range fs {
		k := at{f.Location.Path, f.Location.Region.StartLine, f.Location.Region.StartColumn}
		mine := f.Related[0].Location
		farther := false
		for _, other := range sources[k] {
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

// thenHit is the second step of a chained rule.
type thenHit struct {
	fn, call int
	m        matched
	steps    []finding.Step
}

// then follows what call ci of fi produced (its result and what it wrote) to the rule's
// second-step sinks.
func (l *linker) then(rm *ruleModels, fi, ci int) *thenHit {
	o := &origin{fn: fi, call: ci}
	o.starts = append(o.starts, l.vertex(fi, finding.Port{K: finding.PortResult, C: ci}))
	for i := -1; i < len(l.p.funcs[fi].Calls[ci].Args); i++ {
		if v, ok := l.lookup(fi, finding.Port{K: finding.PortArgOut, C: ci, I: i}); ok {
			o.starts = append(o.starts, v)
		}
	}
	var found *thenHit
	l.reach(o, rm, func(v vid, path func() []finding.Step) bool {
		m, ok := l.sinkAt(rm.then, v)
		if !ok {
			return true
		}
		gv := l.verts[v]
		site := &l.p.funcs[fi].Calls[ci]
		steps := append([]finding.Step{{Location: site.Location, Message: "what " + site.Callee + " returns"}}, path()...)
		found = &thenHit{fn: gv.fn, call: gv.port.C, m: m, steps: append(steps, l.sinkStep(gv.fn, gv.port.C, m))}
		return false
	})
	return found
}

func (l *linker) sinkStep(fi, ci int, m matched) finding.Step {
	site := &l.p.funcs[fi].Calls[ci]
	return finding.Step{Location: site.Location, Message: describe(m.model.Label, "by", m.api)}
}

func (l *linker) flowFinding(r *rules.Rule, o *origin, fi, ci int, sink matched, then *thenHit, steps []finding.Step) finding.Finding {
	f := l.p.funcs[fi]
	site := &f.Calls[ci]
	src := l.sourceStep(o)
	vars := map[string]string{
		"source": src.Message, "sink": describe(sink.model.Label, "by", sink.api),
		"sourceKind": o.model.Kind, "sinkKind": sink.model.Kind, "sourceApi": o.api, "sinkApi": sink.api,
		"function": f.Name,
	}
	props := map[string]any{"sourceKind": o.model.Kind, "sourceApi": o.api, "sinkApi": sink.api,
		"sourceFunction": l.p.funcs[o.fn].Name}
	if sink.model.Kind != "" {
		props["sinkKind"] = sink.model.Kind
	}
	if then != nil {
		vars["then"] = describe(then.m.model.Label, "by", then.m.api)
		props["thenApi"] = then.m.api
	}
	loc := site.Location
	loc.Function = f.Name
	return finding.Finding{
		RuleID:     r.ID,
		Message:    match.Render(r.Message, func(k string) string { return vars[k] }),
		Location:   loc,
		Properties: props,
		Flow:       steps,
		Related:    []finding.Step{src},
		// No line numbers: the fingerprint must survive lines inserted above the source.
		// Results at one sink with one message become one result with a path per source
		// (finding.Sort).
		Key: sink.api + "<-" + o.api + "@" + l.p.funcs[o.fn].Name,
	}
}

// cmpHit is a comparison a source reached.
type cmpHit struct {
	fn, k int
	steps []finding.Step
}

// compareHits follows one origin to every comparison it reaches.
func (l *linker) compareHits(o *origin, rm *ruleModels, alsoSink *bool) []cmpHit {
	var hits []cmpHit
	seen := map[[2]int]bool{}
	l.reach(o, rm, func(v vid, path func() []finding.Step) bool {
		gv := l.verts[v]
		if alsoSink != nil && !*alsoSink {
			if _, ok := l.sinkAt(rm.then, v); ok {
				*alsoSink = true
			}
		}
		if gv.fn < 0 || gv.port.K != finding.PortCompare || seen[[2]int{gv.fn, gv.port.C}] {
			return true
		}
		seen[[2]int{gv.fn, gv.port.C}] = true
		hits = append(hits, cmpHit{fn: gv.fn, k: gv.port.C, steps: path()})
		return true
	})
	return hits
}

// comparisons reports data of the sources compared against constants the rule cares about
// (keywords searched for in collected files, locales a program checks): one result per
// source call and function, listing the constants. With then-sinks, data from the same source
// call must also reach one of them: a file name searched for "confidential" and the path next
// to it uploaded come from one directory walk.
func (l *linker) comparisons(rm *ruleModels) []finding.Finding {
	want := rm.rule.Taint.Compare.Values
	type found struct {
		o   *origin
		fns []int
		hit map[int][]cmpHit
	}
	var all []found
	uploaded := map[callRef]bool{}
	protocol := l.unlessCompares(rm)
	for _, o := range l.origins(rm) {
		reached := false
		var sink *bool
		if len(rm.rule.Taint.Then) > 0 {
			sink = &reached
		}
		fd := found{o: o, hit: map[int][]cmpHit{}}
		for _, h := range l.compareHits(o, rm, sink) {
			c := l.p.funcs[h.fn].Compares[h.k]
			if c.Op == "default" {
				continue // a switch's default branch compares with nothing
			}
			if !slices.ContainsFunc(l.constants(c), func(s string) bool { return want == nil || want.MatchString(s) }) {
				continue
			}
			if protocol[[2]int{h.fn, h.k}] {
				continue
			}
			if fd.hit[h.fn] == nil {
				fd.fns = append(fd.fns, h.fn)
			}
			fd.hit[h.fn] = append(fd.hit[h.fn], h)
		}
		uploaded[callRef{o.fn, o.call}] = uploaded[callRef{o.fn, o.call}] || reached
		all = append(all, fd)
	}
	var out []finding.Finding
	for _, fd := range all {
		if len(rm.rule.Taint.Then) > 0 && !uploaded[callRef{fd.o.fn, fd.o.call}] {
			continue
		}
		for _, fi := range fd.fns {
			out = append(out, l.compareFinding(rm.rule, fd.o, fi, fd.hit[fi], want))
		}
	}
	return out
}

// unlessCompares are the comparisons that data of the rule's compare.unless sources reaches
// (by function and comparison index).
func (l *linker) unlessCompares(rm *ruleModels) map[[2]int]bool {
	unless := rm.rule.Taint.Compare.Unless
	if len(unless) == 0 {
		return nil
	}
	um := &ruleModels{rule: rm.rule, sources: newModels(unless), sinks: newModels(nil), then: newModels(nil),
		sans: rm.sans, props: rm.props}
	out := map[[2]int]bool{}
	for _, o := range l.origins(um) {
		for _, h := range l.compareHits(o, um, nil) {
			out[[2]int{h.fn, h.k}] = true
		}
	}
	return out
}

// constants are what a comparison compares against: its constant, or a table's strings.
func (l *linker) constants(c finding.Comparison) []string {
	if c.Table == "" {
		return []string{c.Const}
	}
	var out []string
	for _, t := range l.p.tables[c.Table] {
		for _, r := range t.Rows {
			out = append(out, r.Strings...)
		}
	}
	return out
}

func (l *linker) compareFinding(r *rules.Rule, o *origin, fi int, hits []cmpHit, want *regexp.Regexp) finding.Finding {
	f := l.p.funcs[fi]
	slices.SortFunc(hits, func(a, b cmpHit) int { return cmp.Compare(a.k, b.k) })
	var vocab []string
	for _, h := range hits {
		for _, s := range l.constants(f.Compares[h.k]) {
			if (want == nil || want.MatchString(s)) && !slices.Contains(vocab, s) {
				vocab = append(vocab, s)
			}
		}
	}
	slices.Sort(vocab)
	first := f.Compares[hits[0].k]
	src := l.sourceStep(o)
	steps := append([]finding.Step{src}, hits[0].steps...)
	vars := map[string]string{"source": src.Message, "sourceKind": o.model.Kind, "sourceApi": o.api,
		"function": f.Name, "vocabulary": quoteList(vocab), "value": first.Value}
	loc := first.Location
	loc.Function = f.Name
	return finding.Finding{
		RuleID:   r.ID,
		Message:  match.Render(r.Message, func(k string) string { return vars[k] }),
		Location: loc,
		Properties: map[string]any{"sourceKind": o.model.Kind, "sourceApi": o.api, "vocabulary": vocab,
			"comparedValue": first.Value},
		Flow:    steps,
		Related: []finding.Step{src},
		Key:     "compare<-" + o.api + "@" + f.Name + ":" + first.Value,
	}
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "'" + brief(x) + "'"
	}
	return strings.Join(q, ", ")
}
