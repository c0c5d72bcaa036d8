package taint

import (
	"errors"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
	"glassbox/rules"
)

// Models given by a tree-sitter query instead of callee names find expressions, not calls:
// the `environ` global, the argument of a vendor's SEND_TELEMETRY(...) macro. Extraction
// gives every captured expression a call of its own, named by the model's internal name
// (rules.QueryCallee), standing between the expression and its uses; the link step then
// matches that call like any other. A call no model names passes its argument to its
// result, so for every other rule the expression means what it always did.

// QueryRole is what a query model's captured expression is.
type QueryRole int

// The roles a query model can have.
const (
	QuerySource     QueryRole = iota // its value is source data
	QuerySanitizer                   // its value carries nothing (for the rule)
	QuerySink                        // its value must not carry the data
	QueryPropagator                  // @from's data flows into @to's memory
)

// QueryModel is one query model compiled for one language.
type QueryModel struct {
	Name    string // the model's internal callee name
	Role    QueryRole
	Capture string
	Query   *syntax.Query
}

// Queries are the query models of a rule set, compiled per language. They are read-only
// once built and shared by every session.
type Queries struct {
	byLang map[source.Lang][]QueryModel
}

// CompileQueries compiles the query models of every taint rule and library of set.
func CompileQueries(set *rules.Set) (*Queries, error) {
	qs := &Queries{byLang: map[source.Lang][]QueryModel{}}
	add := func(ms []rules.Model, role QueryRole) error {
		for i := range ms {
			m := &ms[i]
			if m.Query == nil || len(m.Callees) != 1 {
				continue
			}
			for l, src := range m.Query.Source {
				q, err := syntax.CompileQuery(l, src)
				if err != nil {
					return err
				}
				qs.byLang[l] = append(qs.byLang[l], QueryModel{Name: m.Callees[0].Name, Role: role, Capture: m.Query.Capture, Query: q})
			}
		}
		return nil
	}
	var errs []error
	lib := set.Library()
	errs = append(errs, add(lib.Propagators, QueryPropagator), add(lib.Sanitizers, QuerySanitizer))
	for _, r := range set.Rules() {
		if r.Taint == nil {
			continue
		}
		errs = append(errs, add(r.Taint.Sources, QuerySource), add(r.Taint.Sinks, QuerySink),
			add(r.Taint.Then, QuerySink), add(r.Taint.Propagators, QueryPropagator), add(r.Taint.Sanitizers, QuerySanitizer))
		if r.Taint.Compare != nil {
			errs = append(errs, add(r.Taint.Compare.Unless, QuerySource))
		}
	}
	if err := errors.Join(errs...); err != nil {
		qs.Close()
		return nil, err
	}
	return qs, nil
}

// For returns the query models of a language.
func (qs *Queries) For(l source.Lang) []QueryModel {
	if qs == nil {
		return nil
	}
	return qs.byLang[l]
}

// Close frees the compiled queries.
func (qs *Queries) Close() {
	if qs == nil {
		return
	}
	for _, ms := range qs.byLang {
		for _, m := range ms {
			m.Query.Close()
		}
	}
	qs.byLang = nil
}

// qhit is one expression a query model captured.
type qhit struct {
	name     string
	role     QueryRole
	node     syntax.Node // the captured expression (@from for a propagator)
	to       syntax.Node // a propagator's @to
	function syntax.Node // the function it is in
}

// runQueries finds what the query models capture in the file.
func (x *extractor) runQueries(models []QueryModel) {
	t := x.t
	for _, m := range models {
		m.Query.Run(t, func(match *syntax.Match) {
			h := qhit{name: m.Name, role: m.Role, node: match.Capture(m.Capture), to: syntax.NoNode}
			if m.Role == QueryPropagator {
				h.node, h.to = match.Capture("from"), match.Capture("to")
				if h.to < 0 {
					return
				}
			}
			if h.node < 0 {
				return
			}
			h.function = enclosingFunction(t, h.node)
			if h.function < 0 {
				return // file scope: no function to summarise
			}
			if m.Role == QuerySource || m.Role == QuerySanitizer {
				x.qvalue[h.node] = append(x.qvalue[h.node], h)
			} else {
				x.qstmt[h.function] = append(x.qstmt[h.function], h)
			}
		})
	}
}

func enclosingFunction(t *syntax.Tree, n syntax.Node) syntax.Node {
	for p, depth := t.Parent(n), 0; p >= 0 && depth < 256; p, depth = t.Parent(p), depth+1 {
		if t.IsFunction(p) {
			return p
		}
	}
	return syntax.NoNode
}

// queried wraps the value of an expression a source or sanitizer query captured in the
// model's call.
func (f *fnState) queried(n syntax.Node, ops []operand) []operand {
	for _, h := range f.x.qvalue[n] {
		if h.function != f.fn {
			continue
		}
		ops = []operand{{v: f.g.port(finding.Port{K: finding.PortResult, C: f.queryCall(h, n, ops)})}}
	}
	return ops
}

// capturedWithin is what the captured expressions inside an access path contribute to its
// value: environ[i] reads the source environ.
func (f *fnState) capturedWithin(n syntax.Node, depth int) []operand {
	t := f.x.t
	var out []operand
	for c, end := n+1, t.SubtreeEnd(n); c < end; c++ {
		if _, ok := f.x.qvalue[c]; ok {
			out = append(out, f.queried(c, f.valueOf(c, depth+1))...)
		}
	}
	return out
}

// queryStatements records the sinks and propagators query models found in the function.
func (f *fnState) queryStatements() {
	for _, h := range f.x.qstmt[f.fn] {
		switch h.role {
		case QuerySink:
			f.queryCall(h, h.node, f.value(h.node, 0))
		case QueryPropagator:
			c := f.queryCall(h, h.node, f.value(h.node, 0))
			if p, ok := f.lpath(h.to, 0); ok {
				f.write(p, h.to, []operand{{v: f.g.port(finding.Port{K: finding.PortResult, C: c})}},
					f.x.step(h.to, "written into %s", brief(f.x.t.Text(h.to))), false)
			}
		}
	}
}

// queryCall records the call that stands for a captured expression, once per expression
// and model, with ops flowing into its only argument.
func (f *fnState) queryCall(h qhit, n syntax.Node, ops []operand) int {
	key := qkey{h.name, n}
	if i, ok := f.qcalls[key]; ok {
		return i
	}
	t := f.x.t
	idx := len(f.out.Calls)
	f.qcalls[key] = idx
	text := brief(t.Text(n))
	f.out.Calls = append(f.out.Calls, finding.CallSite{Names: []string{h.name}, Callee: text, Location: f.x.loc(n),
		Args: []finding.Arg{f.argInfo(n)}})
	f.callAt = append(f.callAt, n)
	f.g.connect(ops, f.g.port(finding.Port{K: finding.PortArg, C: idx, I: 0}), f.x.step(n, "%s", text))
	return idx
}

type qkey struct {
	name string
	node syntax.Node
}
