package rules

import (
	"errors"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

// endpointPlaceholders are the properties #is-endpoint? sets, usable in messages.
var endpointPlaceholders = []string{"endpoint", "endpointKind", "host", "port", "scheme", "scope"}

func (v *validator) query(raw *rawQuery, r *Rule, n *yaml.Node) (*Query, map[string]bool) {
	line := lineOf(n, r.Line)
	q := &Query{Capture: raw.Capture, Source: map[source.Lang]string{}}
	if q.Capture == "" {
		q.Capture = "match"
	}
	texts := map[source.Lang]string{source.C: raw.C, source.CPP: raw.CPP, source.Go: raw.Go}
	var known map[string]bool
	for _, l := range source.Langs {
		src, key := texts[l], string(l)
		if strings.TrimSpace(src) == "" {
			if r.HasLang(l) {
				v.ps.add(line, r.ID, "query: no query for language %s, which the rule lists", l)
			}
			continue
		}
		if !r.HasLang(l) {
			v.ps.add(lineOf(child(n, key), line), r.ID, "query: %s is not among the rule's languages", l)
			continue
		}
		names, ok := v.compile(l, src, r, child(n, key))
		if !ok {
			continue
		}
		if !slices.Contains(names, q.Capture) {
			v.ps.add(lineOf(child(n, key), line), r.ID, "query (%s): no capture @%s to locate the finding (set query.capture, or name a capture @%s)", l, q.Capture, q.Capture)
		}
		q.Source[l] = src
		known = intersectNames(known, names, strings.Contains(src, "#is-endpoint?"))
	}
	return q, known
}

// compile checks a query and returns its capture names. A query error is reported at its own
// line inside the pack file.
func (v *validator) compile(l source.Lang, src string, r *Rule, n *yaml.Node) ([]string, bool) {
	q, err := syntax.CompileQuery(l, src)
	if err != nil {
		line, msg := lineOf(n, r.Line), err.Error()
		var qe *syntax.QueryError
		if errors.As(err, &qe) {
			msg = qe.Msg
			if qe.Line > 0 {
				line += qe.Line - 1
				if n != nil && (n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle) {
					line++ // a block scalar's text starts on the line after its indicator
				}
			}
		}
		v.ps.add(line, r.ID, "query (%s): %s", l, msg)
		return nil, false
	}
	defer q.Close()
	return q.CaptureNames(), true
}

// intersectNames keeps the placeholders every language's query can fill.
func intersectNames(known map[string]bool, captures []string, endpoint bool) map[string]bool {
	here := map[string]bool{}
	for _, c := range captures {
		here[c] = true
	}
	if endpoint {
		for _, p := range endpointPlaceholders {
			here[p] = true
		}
	}
	if known == nil {
		return here
	}
	for k := range known {
		if !here[k] {
			delete(known, k)
		}
	}
	return known
}
