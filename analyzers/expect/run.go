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

// File analyses f with session and checks the findings against f's annotations. It also
// returns the file's result (language, notifications), so a harness can insist, say, that
// samples parse cleanly.
func File(ctx context.Context, session *analyze.Session, f source.File, keep func(ruleID string) bool) ([]Outcome, finding.FileResult, error) {
	var e *Expectations
	res := session.Inspect(ctx, f, func(t *syntax.Tree, text *source.Text) {
		ann := Parse(t, text)
		e = &ann
	})
	if e == nil {
		return nil, res, fmt.Errorf("%w: %s", ErrNotParsed, f.Path)
	}
	return Check(f.Path, *e, res.Findings, keep), res, nil
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
