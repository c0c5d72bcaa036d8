package expect_test

import (
	"context"
	"strings"
	"testing"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/expect"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/taint"
	"glassbox/rules"
	"glassbox/workers/walk"
)

// TestTestdata is the one harness for every language: it checks every annotated sample under
// testdata/ against the built-in packs. Samples under testdata/packs/NAME/ are judged for
// pack NAME only; everything else is judged for every pack.
func TestTestdata(t *testing.T) {
	packs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		t.Fatal(err)
	}
	engine, free, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer free()
	session := engine.NewSession()
	defer session.Close()

	root, err := walk.Open("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	var files []source.File
	err = walk.Walk(context.Background(), root.FS, walk.Options{}, func(f source.File) error {
		files = append(files, f)
		return nil
	}, func(n finding.Notification) {
		t.Errorf("testdata/%s: unexpected walk notification: %s", n.Path, n.Message)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no samples found under testdata/")
	}
	h := &expect.Harness{
		Session: session,
		Link:    func(rs []finding.FileResult) []finding.Finding { return taint.Link(rs, set) },
		Program: Program,
		Keep:    func(path, id string) bool { return keeper(set, path)(id) },
	}
	samples, err := h.Run(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	// Every rule must be proven by samples that match, in every one of its languages.
	proven := map[string]map[source.Lang]bool{}
	for _, s := range samples {
		for _, o := range s.Outcomes {
			if o.Kind.Failing() {
				t.Errorf("testdata/%s:%d: %s %q %s", o.Path, o.Line, o.Kind, o.RuleID, o.Msg)
			}
			if testing.Verbose() {
				t.Logf("testdata/%s:%d: %s %s", o.Path, o.Line, o.Kind, o.RuleID)
			}
			if o.Kind == expect.Matched {
				if proven[o.RuleID] == nil {
					proven[o.RuleID] = map[source.Lang]bool{}
				}
				proven[o.RuleID][source.Lang(s.Result.Artifact.Lang)] = true
			}
		}
	}
	for _, r := range set.Rules() {
		for _, l := range r.Languages {
			if !proven[r.ID][l] {
				t.Errorf("rule %s has no matching sample in %s", r.ID, l)
			}
		}
	}
	// Precision and recall per rule and per pack, counting known misses (todo) and known
	// false positives (todo-ok): `go test -v -run TestTestdata ./analyzers/expect` prints it.
	var all []expect.Outcome
	for _, s := range samples {
		all = append(all, s.Outcomes...)
	}
	var table strings.Builder
	expect.WriteTable(&table, expect.Tally(all, func(id string) string { return "pack " + set.Rule(id).Pack.Name }))
	t.Logf("precision and recall over testdata/:\n%s", table.String())
}

// Program groups samples into programs for the link step: a file directly under
// testdata/packs/NAME/ is a program of its own; a directory there, or any other top-level
// directory (the demo), is one program. Under testdata/gomod/, each module is a program:
// gomod/agent, and gomod/packs/NAME/SAMPLE, the typed counterparts of the samples.
func Program(path string) string {
	if rest, ok := strings.CutPrefix(path, "gomod/"); ok {
		n := 1
		if strings.HasPrefix(rest, "packs/") {
			n = 3
		}
		if parts := strings.Split(rest, "/"); len(parts) > n {
			return "gomod/" + strings.Join(parts[:n], "/")
		}
	}
	parts := strings.Split(path, "/")
	if parts[0] == "packs" && len(parts) > 2 {
		return strings.Join(parts[:3], "/")
	}
	return parts[0]
}

// keeper judges only the pack a sample directory is written for (the typed counterparts
// under gomod/packs/ too).
func keeper(set *rules.Set, path string) func(string) bool {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(path, "gomod/"), "packs/")
	if !ok {
		return func(id string) bool { return set.Rule(id) != nil }
	}
	pack, _, _ := strings.Cut(rest, "/")
	return func(id string) bool {
		r := set.Rule(id)
		return r != nil && r.Pack.Name == pack
	}
}
