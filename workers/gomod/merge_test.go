package gomod

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/taint"
	"glassbox/rules"
	"glassbox/workers/scan"
	"glassbox/workers/walk"
)

// copyTree copies a directory of testdata into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		write(t, dst, map[string]string{filepath.ToSlash(rel): string(data)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// treeSitterScan runs the per-file stage and the link step the way glassbox scan does.
func treeSitterScan(t *testing.T, root *walk.Root, set *rules.Set) *scan.Result {
	t.Helper()
	engine, free, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer free()
	res, err := scan.Run(context.Background(), scan.Config{Root: root, Engine: engine,
		Link: func(rs []finding.FileResult) []finding.Finding { return taint.Link(rs, set) }})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMergeReplacesAndFallsBack scans a root with the agent module, which loads, and a copy
// of it whose go.mod needs a dependency the module cache lacks: the agent's taint findings
// become the typed ones (a write only types see is added), its egress findings stay, and
// the broken module keeps its tree-sitter findings, with a notification. Findings both
// engines report keep their fingerprints, so a baseline does not churn when a module starts
// to build.
func TestMergeReplacesAndFallsBack(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "../../testdata/gomod/agent", filepath.Join(dir, "agent"))
	copyTree(t, "../../testdata/gomod/agent", filepath.Join(dir, "broken"))
	write(t, dir, map[string]string{
		"broken/go.mod":                 "module example.com/agent\n\ngo 1.22\n\nrequire example.com/absent v1.0.0\n",
		"broken/internal/absent/use.go": "// Package absent needs a module the cache lacks.\npackage absent\n\nimport _ \"example.com/absent\"\n",
	})
	root := open(t, dir)
	set := ruleSet(t)
	res := treeSitterScan(t, root, set)
	old := slices.Clone(res.Findings)
	before := map[string]finding.Finding{}
	for _, f := range res.Findings {
		before[f.RuleID+" "+f.Location.Path+" "+f.Key] = f
	}
	typed, err := Analyze(context.Background(), root, Options{Set: set})
	if err != nil {
		t.Fatal(err)
	}
	Merge(res, typed, set)

	kept := func(fs []finding.Finding, top string, taint bool) []string {
		var out []string
		for _, f := range fs {
			if strings.HasPrefix(f.Location.Path, top+"/") && (set.Rule(f.RuleID).Taint != nil) == taint {
				out = append(out, f.RuleID+" "+f.Location.Path+" "+f.Key)
			}
		}
		return out
	}
	brokenBefore, patternsBefore := kept(old, "broken", true), kept(old, "agent", false)
	if got := kept(res.Findings, "broken", true); !slices.Equal(got, brokenBefore) || len(got) == 0 {
		t.Errorf("the broken module's tree-sitter findings changed:\n%v\nwant\n%v", got, brokenBefore)
	}
	if got := kept(res.Findings, "agent", false); !slices.Equal(got, patternsBefore) || len(got) != 3 {
		t.Errorf("the agent's pattern findings changed:\n%v\nwant\n%v", got, patternsBefore)
	}
	typedCount := 0
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.Location.Path, "agent/") || set.Rule(f.RuleID).Taint == nil {
			continue
		}
		typedCount++
		k := f.RuleID + " " + f.Location.Path + " " + f.Key
		if prev, ok := before[k]; ok {
			if a, b := finding.Fingerprints([]finding.Finding{prev}), finding.Fingerprints([]finding.Finding{f}); a[0] != b[0] {
				t.Errorf("%s: fingerprint changed from %s to %s", k, a[0], b[0])
			}
			delete(before, k)
		} else if !(f.Location.Path == "agent/cmd/agent/main.go" && f.Location.Region.StartLine == 37) {
			t.Errorf("typed finding with no tree-sitter counterpart: %s:%d %s", k, f.Location.Region.StartLine, f.Message)
		}
	}
	if typedCount != 8 {
		t.Errorf("%d typed findings in the agent, want 8", typedCount)
	}
	for k, f := range before {
		if strings.HasPrefix(f.Location.Path, "agent/") && set.Rule(f.RuleID).Taint != nil {
			t.Errorf("tree-sitter finding with no typed counterpart: %s", k)
		}
	}
	var note *finding.Notification
	for i, n := range res.Notifications {
		if n.ID == NoteFallback {
			note = &res.Notifications[i]
		}
	}
	if note == nil || note.Path != "broken/go.mod" || !strings.Contains(note.Message, "example.com/absent") {
		t.Errorf("fallback notification: %+v", note)
	}
}
