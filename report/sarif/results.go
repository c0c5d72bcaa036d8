package sarif

import (
	"fmt"
	"math"
	"reflect"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"glassbox/analyzers/finding"
	"glassbox/report"
	"glassbox/rules"
)

// newResults renders the findings in the order given (the caller sorts them). A result is
// only ever created for a rule of the scan: one for an unknown rule would carry a ruleIndex
// pointing nowhere, so it is an error instead.
func newResults(s *report.Scan, rs []*rules.Rule, arts *artifacts) ([]*sarif.Result, error) {
	index := make(map[string]uint, len(rs))
	for i, r := range rs {
		index[r.ID] = uint(i)
	}
	fps := finding.Fingerprints(s.Findings)
	out := make([]*sarif.Result, 0, len(s.Findings)) // [] rather than null when there are none
	for i, f := range s.Findings {
		ri, ok := index[f.RuleID]
		if !ok {
			return nil, fmt.Errorf("sarif: finding at %s:%d has rule %q, which is not among the scan's rules",
				f.Location.Path, f.Location.Region.StartLine, f.RuleID)
		}
		out = append(out, newResult(f, rs[ri], ri, fps[i], arts))
	}
	return out, nil
}

// newResult renders one finding of rule r, which sits at index ri of tool.driver.rules.
func newResult(f finding.Finding, r *rules.Rule, ri uint, fp string, arts *artifacts) *sarif.Result {
	msg := sentence(f.Message)
	if msg == "" {
		msg = sentence(r.Name) // a result needs a message
	}
	res := &sarif.Result{
		RuleID:              ptr(f.RuleID),
		RuleIndex:           ptr(ri),
		Message:             sarif.Message{Text: ptr(msg)},
		Locations:           []*sarif.Location{location(f.Location, arts)},
		PartialFingerprints: map[string]interface{}{finding.FingerprintVersion: fp},
		CodeFlows:           codeFlows(append([][]finding.Step{f.Flow}, f.Paths...), arts),
		RelatedLocations:    relatedLocations(f.Related, arts),
	}
	if r.Severity.Valid() {
		res.Level = ptr(string(r.Severity))
	}
	res.Properties = resultProperties(f.Properties)
	return res
}

// location renders a finding location: the region with its snippet, the whole lines around
// it as the context region, and the enclosing function as a logical location.
func location(l finding.Location, arts *artifacts) *sarif.Location {
	pl := &sarif.PhysicalLocation{ArtifactLocation: arts.ref(l.Path), Region: region(l.Region)}
	if l.Context != nil && pl.Region != nil && properSuperset(*l.Context, l.Region) {
		pl.ContextRegion = region(*l.Context)
	}
	loc := &sarif.Location{PhysicalLocation: pl}
	if l.Function != "" {
		loc.LogicalLocations = []*sarif.LogicalLocation{{
			FullyQualifiedName: ptr(l.Function),
			Kind:               ptr("function"),
		}}
	}
	return loc
}

// region renders a region, or nil for one without a line (a whole-file location). Zero
// columns mean "not known" and are left out rather than written as an invalid 0.
func region(r finding.Region) *sarif.Region {
	if r.StartLine <= 0 {
		return nil
	}
	out := &sarif.Region{
		StartLine:   ptr(r.StartLine),
		StartColumn: positive(r.StartColumn),
		EndLine:     positive(r.EndLine),
		EndColumn:   positive(r.EndColumn),
	}
	if r.Snippet != "" {
		out.Snippet = &sarif.ArtifactContent{Text: ptr(r.Snippet)}
	}
	return out
}

// properSuperset reports whether c strictly contains r, which SARIF requires of a context
// region (the Multitool's SARIF1008 is an error otherwise). A finding that covers whole lines
// has a context equal to its region, and analyzers/source caps contexts at a few lines, so a
// long match has a context that ends inside it; neither says anything a consumer can use,
// and both are left out. A zero column means the start (or end) of the line, and a zero end
// line the start line, as in SARIF.
func properSuperset(c, r finding.Region) bool {
	type pos struct{ line, col int }
	before := func(a, b pos) bool { return a.line < b.line || a.line == b.line && a.col <= b.col }
	endCol := func(col int) int {
		if col <= 0 {
			return math.MaxInt
		}
		return col
	}
	cs, ce := pos{c.StartLine, max(c.StartColumn, 1)}, pos{max(c.EndLine, c.StartLine), endCol(c.EndColumn)}
	rs, re := pos{r.StartLine, max(r.StartColumn, 1)}, pos{max(r.EndLine, r.StartLine), endCol(r.EndColumn)}
	return before(cs, rs) && before(re, ce) && (cs != rs || ce != re)
}

// positive is ptr for 1-based positions that are omitted when unknown.
func positive(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}

// codeFlows renders each flow as one code flow with one thread flow, a location per step.
// The first step (where the data comes from) and the last (where it ends up) are
// "essential", the hops between them "important", so viewers that collapse long flows keep
// both ends.
func codeFlows(flows [][]finding.Step, arts *artifacts) []*sarif.CodeFlow {
	var out []*sarif.CodeFlow
	for _, flow := range flows {
		if len(flow) == 0 {
			continue
		}
		tf := &sarif.ThreadFlow{Locations: make([]*sarif.ThreadFlowLocation, len(flow))}
		for i, st := range flow {
			importance := "important"
			if i == 0 || i == len(flow)-1 {
				importance = "essential"
			}
			tf.Locations[i] = &sarif.ThreadFlowLocation{Location: step(st, arts), Importance: importance}
		}
		out = append(out, &sarif.CodeFlow{ThreadFlows: []*sarif.ThreadFlow{tf}})
	}
	return out
}

// relatedLocations renders related steps with ids 1..n, which result messages may link to.
func relatedLocations(related []finding.Step, arts *artifacts) []*sarif.Location {
	if len(related) == 0 {
		return nil
	}
	out := make([]*sarif.Location, len(related))
	for i, st := range related {
		out[i] = step(st, arts)
		out[i].Id = ptr(uint(i + 1))
	}
	return out
}

// step renders a step's location with its message.
func step(st finding.Step, arts *artifacts) *sarif.Location {
	loc := location(st.Location, arts)
	if msg := sentence(st.Message); msg != "" {
		loc.Message = &sarif.Message{Text: ptr(msg)}
	}
	return loc
}

// resultProperties copies a finding's properties. Nothing in a SARIF log may be null, so a
// nil list or map becomes empty and a nil value is dropped.
func resultProperties(props map[string]any) sarif.Properties {
	if len(props) == 0 {
		return nil
	}
	out := make(sarif.Properties, len(props))
	for k, v := range props {
		if v == nil {
			continue
		}
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Slice:
			if rv.IsNil() {
				v = reflect.MakeSlice(rv.Type(), 0, 0).Interface()
			}
		case reflect.Map:
			if rv.IsNil() {
				v = reflect.MakeMap(rv.Type()).Interface()
			}
		case reflect.Pointer, reflect.Interface:
			if rv.IsNil() {
				continue
			}
		}
		out[k] = v
	}
	return out
}
