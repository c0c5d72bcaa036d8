// Package expect checks rules against annotated samples: source files whose comments say what
// must be found on each line and what must not. One harness serves every language — C, C++
// and Go share comment syntax — and both the project's own test over testdata/ and
// `glassbox rules test` for a reviewer's packs.
//
// Annotations, in a comment on the line they are about:
//
//	send(s, host, n, 0);     // want "telemetry/host-identity-upload"
//	send(s, "ping", 4, 0);   // ok: constant data is not telemetry
//	x = recv(...);           // todo "remote-command/dispatch" (a known miss)
//	y = f(...);              // todo-ok "egress/send" (a known false positive)
//
// A line may want several rules (`want "a" "b"`). Every finding must be wanted: a finding on
// a line without a `want` for its rule fails, as does a `want` with no finding. `ok:` lines
// must have no finding at all.
package expect

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

// Expectations are the annotations of one file, by 1-based line.
type Expectations struct {
	Want   map[int][]string
	OK     map[int]bool
	Todo   map[int][]string // known misses: wanted, but glassbox does not find them yet
	TodoOK map[int][]string // known false positives: found, but should not be
}

var (
	directive = regexp.MustCompile(`^(want|todo-ok|todo)\b((?:\s*"[^"]*")+)`)
	quoted    = regexp.MustCompile(`"([^"]*)"`)
	okMark    = regexp.MustCompile(`^ok\s*:`)
)

// Parse reads the annotations from the comments of a parsed file. Comments come from the
// tree, not from a text search, so `"http://x" // want "..."` is read right.
func Parse(t *syntax.Tree, text *source.Text) Expectations {
	e := Expectations{Want: map[int][]string{}, OK: map[int]bool{}, Todo: map[int][]string{}, TodoOK: map[int][]string{}}
	for _, c := range t.Comments() {
		line, _ := text.Position(c.Start)
		body := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(c.Text, "//"), "/*"), "*/"))
		if okMark.MatchString(body) {
			e.OK[line] = true
			continue
		}
		m := directive.FindStringSubmatch(body)
		if m == nil {
			continue
		}
		var ids []string
		for _, q := range quoted.FindAllStringSubmatch(m[2], -1) {
			ids = append(ids, q[1])
		}
		switch m[1] {
		case "want":
			e.Want[line] = append(e.Want[line], ids...)
		case "todo":
			e.Todo[line] = append(e.Todo[line], ids...)
		case "todo-ok":
			e.TodoOK[line] = append(e.TodoOK[line], ids...)
		}
	}
	return e
}

// Kind classifies an Outcome.
type Kind string

// Outcome kinds. Missing and Unexpected fail a check; the others are counted.
const (
	Matched    Kind = "matched"     // wanted and found
	Missing    Kind = "missing"     // wanted, not found
	Unexpected Kind = "unexpected"  // found, not wanted
	KnownMiss  Kind = "known-miss"  // todo: not found, as documented
	KnownFP    Kind = "known-fp"    // todo-ok: found, as documented
	FixedMiss  Kind = "fixed-miss"  // todo, but found: the annotation should become want
	GoneFP     Kind = "gone-fp"     // todo-ok, but not found: the annotation can go
	Violation  Kind = "ok-violated" // found on an ok: line
)

// Failing reports whether the outcome fails a check.
func (k Kind) Failing() bool {
	return k == Missing || k == Unexpected || k == Violation || k == FixedMiss || k == GoneFP
}

// Outcome is the verdict on one rule at one line.
type Outcome struct {
	Path   string
	Line   int
	RuleID string
	Kind   Kind
	Msg    string // the finding's message, when there was one
}

// Check compares a file's findings with its expectations. Only rules for which keep returns
// true are judged, so a sample written for one pack is not failed by another pack's rules.
func Check(path string, e Expectations, findings []finding.Finding, keep func(ruleID string) bool) []Outcome {
	found := map[int]map[string]string{} // line → rule → message
	for _, f := range findings {
		if !keep(f.RuleID) {
			continue
		}
		l := f.Location.Region.StartLine
		if found[l] == nil {
			found[l] = map[string]string{}
		}
		found[l][f.RuleID] = f.Message
	}
	var out []Outcome
	add := func(line int, rule string, k Kind) {
		out = append(out, Outcome{Path: path, Line: line, RuleID: rule, Kind: k, Msg: found[line][rule]})
	}
	judge := func(ann map[int][]string, hit, miss Kind) {
		for line, rules := range ann {
			for _, r := range rules {
				if !keep(r) {
					continue
				}
				if _, ok := found[line][r]; ok {
					add(line, r, hit)
					delete(found[line], r)
				} else {
					add(line, r, miss)
				}
			}
		}
	}
	judge(e.Want, Matched, Missing)
	judge(e.Todo, FixedMiss, KnownMiss)
	judge(e.TodoOK, KnownFP, GoneFP)
	for line, rules := range found {
		for r := range rules {
			if e.OK[line] {
				add(line, r, Violation)
			} else {
				add(line, r, Unexpected)
			}
		}
	}
	slices.SortFunc(out, func(a, b Outcome) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.RuleID, b.RuleID), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}
