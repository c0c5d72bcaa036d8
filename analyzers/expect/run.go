package expect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

// ErrNotParsed means a sample could not be parsed, so its annotations could not be read.
var ErrNotParsed = errors.New("expect: sample was not parsed")

// Harness runs glassbox on annotated samples — the per-file stage on each, then the link
// step on each program — and judges every sample's findings against its annotations.
type Harness struct {
	Session *analyze.Session
	// Link is the link step; nil when no rule needs it.
	Link func([]finding.FileResult) []finding.Finding
	// Program names the program a sample belongs to: samples of one program are linked
	// together, so a sample in a directory of its own can be split over several files.
	Program func(path string) string
	// Keep says which rules a sample is judged for.
	Keep func(path, ruleID string) bool
}

// Sample is a judged sample: its result and the outcome of every annotation and finding.
type Sample struct {
	Result   finding.FileResult
	Outcomes []Outcome
}

// Run judges files, which must be in path order. A sample that cannot be parsed is an error.
func (h *Harness) Run(ctx context.Context, files []source.File) ([]Sample, error) {
	type pending struct {
		res finding.FileResult
		exp Expectations
	}
	var all []pending
	for _, f := range files {
		var e *Expectations
		res := h.Session.Inspect(ctx, f, func(t *syntax.Tree, text *source.Text) {
			ann := Parse(t, text)
			e = &ann
		})
		if e == nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrNotParsed, f.Path, res.Notifications)
		}
		all = append(all, pending{res, *e})
	}
	linked := map[string][]finding.Finding{}
	if h.Link != nil {
		programs := map[string][]finding.FileResult{}
		var names []string
		for _, p := range all {
			name := h.Program(p.res.Artifact.Path)
			if _, ok := programs[name]; !ok {
				names = append(names, name)
			}
			programs[name] = append(programs[name], p.res)
		}
		for _, name := range names {
			for _, fd := range h.Link(programs[name]) {
				linked[fd.Location.Path] = append(linked[fd.Location.Path], fd)
			}
		}
	}
	var out []Sample
	for _, p := range all {
		path := p.res.Artifact.Path
		findings := append(slices.Clone(p.res.Findings), linked[path]...)
		keep := func(id string) bool { return h.Keep(path, id) }
		out = append(out, Sample{Result: p.res, Outcomes: Check(path, p.exp, findings, keep)})
	}
	return out, nil
}

// Stats counts outcomes for one rule.
type Stats struct {
	Rule                                             string
	Matched, Missing, Unexpected, KnownMiss, KnownFP int
}

// Precision is the share of findings that were wanted; 1 when nothing was found.
func (s Stats) Precision() float64 {
	tp, fp := float64(s.Matched), float64(s.Unexpected+s.KnownFP)
	if tp+fp == 0 {
		return 1
	}
	return tp / (tp + fp)
}

// Recall is the share of wanted findings that were found; 1 when nothing was wanted.
func (s Stats) Recall() float64 {
	tp, fn := float64(s.Matched), float64(s.Missing+s.KnownMiss)
	if tp+fn == 0 {
		return 1
	}
	return tp / (tp + fn)
}

// Tally counts outcomes per rule, sorted by rule id, with a total for group, e.g. per pack.
func Tally(outcomes []Outcome, group func(ruleID string) string) []Stats {
	by := map[string]*Stats{}
	get := func(k string) *Stats {
		if by[k] == nil {
			by[k] = &Stats{Rule: k}
		}
		return by[k]
	}
	for _, o := range outcomes {
		for _, s := range []*Stats{get(o.RuleID), get(group(o.RuleID))} {
			switch o.Kind {
			case Matched:
				s.Matched++
			case Missing:
				s.Missing++
			case Unexpected, Violation:
				s.Unexpected++
			case KnownMiss:
				s.KnownMiss++
			case KnownFP:
				s.KnownFP++
			case FixedMiss:
				s.Matched++
			case GoneFP:
			}
		}
	}
	out := make([]Stats, 0, len(by))
	for _, s := range by {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Stats) int { return cmp.Compare(a.Rule, b.Rule) })
	return out
}

// WriteTable prints stats as an aligned table with precision and recall.
func WriteTable(w io.Writer, stats []Stats) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "RULE\tTP\tFP\tFN\tTODO-FN\tTODO-FP\tPRECISION\tRECALL\t")
	for _, s := range stats {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t\n", s.Rule, s.Matched, s.Unexpected, s.Missing, s.KnownMiss, s.KnownFP, s.Precision(), s.Recall())
	}
	return tw.Flush()
}
