package expect_test

import (
	"context"
	"strings"
	"testing"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/expect"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
	"glassbox/analyzers/source"
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
	m, err := match.New(set)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	session := analyze.New(m, analyze.Options{}).NewSession()
	defer session.Close()

	root, err := walk.Open("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	ctx := context.Background()
	var all []expect.Outcome
	files := 0
	langs := map[string]source.Lang{}
	err = walk.Walk(ctx, root.FS, walk.Options{}, func(f source.File) error {
		files++
		keep := keeper(set, f.Path)
		out, res, err := expect.File(ctx, session, f, keep)
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			return nil
		}
		for _, o := range out {
			if o.Kind.Failing() {
				t.Errorf("testdata/%s:%d: %s %q %s", o.Path, o.Line, o.Kind, o.RuleID, o.Msg)
			}
		}
		if testing.Verbose() {
			for _, o := range out {
				t.Logf("testdata/%s:%d: %s %s", o.Path, o.Line, o.Kind, o.RuleID)
			}
		}
		all = append(all, out...)
		langs[f.Path] = source.Lang(res.Artifact.Lang)
		return nil
	}, func(n finding.Notification) {
		t.Errorf("testdata/%s: unexpected walk notification: %s", n.Path, n.Message)
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no samples found under testdata/")
	}
	// Every rule must be proven by samples that match, in every one of its languages.
	proven := map[string]map[source.Lang]bool{}
	for _, o := range all {
		if o.Kind == expect.Matched {
			if proven[o.RuleID] == nil {
				proven[o.RuleID] = map[source.Lang]bool{}
			}
			proven[o.RuleID][langs[o.Path]] = true
		}
	}
	for _, r := range set.Rules() {
		for _, l := range r.Languages {
			if !proven[r.ID][l] {
				t.Errorf("rule %s has no matching sample in %s", r.ID, l)
			}
		}
	}
}

// keeper judges only the pack a sample directory is written for.
func keeper(set *rules.Set, path string) func(string) bool {
	rest, ok := strings.CutPrefix(path, "packs/")
	if !ok {
		return func(id string) bool { return set.Rule(id) != nil }
	}
	pack, _, _ := strings.Cut(rest, "/")
	return func(id string) bool {
		r := set.Rule(id)
		return r != nil && r.Pack.Name == pack
	}
}
