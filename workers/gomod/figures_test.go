package gomod

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/expect"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/taint"
	"glassbox/workers/walk"
)

var update = flag.Bool("update", false, "rewrite the typed counterparts under testdata/gomod/packs from testdata/packs")

// counterparts are the Go samples of testdata/packs that testdata/gomod/packs holds as
// buildable modules: each is copied whole (a directory sample keeps its packages, with its
// module path rewritten), next to the go.mod files and the vendored stand-ins of the
// third-party libraries they import.
var counterparts = map[string][]string{
	"telemetry":         {"beacon.go", "collector.go", "inventory.go", "spy.go", "go-agent"},
	"remote-command":    {"implant.go", "webshell.go", "go-implant"},
	"remote-collection": {"docsearch.go", "filegrab.go", "targeting.go"},
	"dynamic-code":      {"updater.go", "loader.go", "scripting.go", "fetcher.go"},
}

// nested samples build only for Windows, or for no single GOOS: each is a module of its own.
var nested = []string{"spy.go", "targeting.go", "updater.go", "loader.go"}

var importRewrites = strings.NewReplacer(`"example.com/agent/`, `"example.com/telemetry/go-agent/`,
	`"example.com/implant/`, `"example.com/remote-command/go-implant/`)

// counterpartFiles maps each original sample file to its copy.
func counterpartFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for pack, samples := range counterparts {
		for _, s := range samples {
			src := filepath.Join("../../testdata/packs", pack, s)
			dst := filepath.Join("../../testdata/gomod/packs", pack, strings.TrimSuffix(s, ".go"))
			if strings.HasSuffix(s, ".go") {
				out[src] = filepath.Join(dst, "main.go")
				continue
			}
			err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
					rel, _ := filepath.Rel(src, p)
					out[p] = filepath.Join(dst, rel)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// TestCounterparts checks that the typed counterparts are the samples, annotations and all:
// when a sample changes, go test ./workers/gomod -run Counterparts -update copies it again.
func TestCounterparts(t *testing.T) {
	for src, dst := range counterpartFiles(t) {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		want := []byte(importRewrites.Replace(string(data)))
		if *update {
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is not a copy of %s (err %v): run go test ./workers/gomod -run Counterparts -update", dst, src, err)
		}
	}
}

// sampleFiles reads every Go file under root, in path order.
func sampleFiles(t *testing.T, root *walk.Root) []source.File {
	t.Helper()
	var files []source.File
	err := walk.Walk(context.Background(), root.FS, walk.Options{}, func(f source.File) error {
		files = append(files, f)
		return nil
	}, func(n finding.Notification) { t.Errorf("%s: %s", n.Path, n.Message) })
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestPrecisionRecall scores both engines over the typed counterparts of the Go samples,
// with the samples' own annotations (expect.Check, Tally): tree-sitter alone, and what glassbox
// scan reports with --go-types auto (typed findings in the files of modules that load,
// tree-sitter's elsewhere). `go test -v -run PrecisionRecall ./workers/gomod` prints the
// tables.
func TestPrecisionRecall(t *testing.T) {
	set := ruleSet(t)
	root := open(t, "../../testdata/gomod/packs")
	files := sampleFiles(t, root)
	engine, free, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer free()
	session := engine.NewSession()
	defer session.Close()
	typed, err := Analyze(context.Background(), root, Options{Set: set})
	if err != nil {
		t.Fatal(err)
	}
	covered := typed.Covered()
	byPath := map[string][]finding.Finding{}
	for _, f := range typed.Findings {
		byPath[f.Location.Path] = append(byPath[f.Location.Path], f)
	}
	keep := func(p, id string) bool {
		pack, _, _ := strings.Cut(p, "/")
		r := set.Rule(id)
		return r != nil && r.Pack.Name == pack
	}
	program := func(p string) string { // a sample's directory: PACK/SAMPLE
		parts := strings.SplitN(p, "/", 3)
		return parts[0] + "/" + parts[1]
	}
	treeSitter := func(rs []finding.FileResult) []finding.Finding { return taint.Link(rs, set) }
	withTypes := func(rs []finding.FileResult) []finding.Finding {
		var out []finding.Finding
		for _, f := range treeSitter(rs) {
			if !covered[f.Location.Path] {
				out = append(out, f)
			}
		}
		for _, r := range rs {
			out = append(out, byPath[r.Artifact.Path]...)
		}
		return out
	}
	tables := map[string][]expect.Stats{}
	seen := map[string][]finding.Finding{}
	for name, link := range map[string]func([]finding.FileResult) []finding.Finding{"tree-sitter": treeSitter, "go-types": withTypes} {
		record := func(rs []finding.FileResult) []finding.Finding {
			fs := link(rs)
			seen[name] = append(seen[name], fs...)
			return fs
		}
		h := &expect.Harness{Session: session, Link: record, Program: program, Keep: keep}
		samples, err := h.Run(context.Background(), files)
		if err != nil {
			t.Fatal(err)
		}
		var all []expect.Outcome
		for _, s := range samples {
			all = append(all, s.Outcomes...)
			for _, o := range s.Outcomes {
				if testing.Verbose() && (o.Kind == expect.Unexpected || o.Kind == expect.Missing || o.Kind == expect.KnownMiss || o.Kind == expect.KnownFP || o.Kind == expect.FixedMiss) {
					t.Logf("%s: %s:%d %s %s", name, o.Path, o.Line, o.Kind, o.RuleID)
				}
			}
		}
		tables[name] = expect.Tally(all, func(id string) string { return "pack " + set.Rule(id).Pack.Name })
	}
	var fell []string
	for _, m := range typed.Modules {
		if m.Reason != "" {
			fell = append(fell, m.Dir+": "+m.Reason)
		}
	}
	var b strings.Builder
	for _, name := range []string{"tree-sitter", "go-types"} {
		b.WriteString("\n" + name + ":\n")
		var rows []expect.Stats
		for _, s := range tables[name] {
			if strings.HasPrefix(s.Rule, "pack ") {
				rows = append(rows, s)
			}
		}
		rows = append(rows, total(rows))
		expect.WriteTable(&b, rows)
	}
	t.Logf("precision and recall over testdata/gomod/packs (modules analysed without types: %v):%s", fell, b.String())
	fingerprintsAgree(t, seen["tree-sitter"], seen["go-types"])
	ts, gt := total(packRows(tables["tree-sitter"])), total(packRows(tables["go-types"]))
	if gt.Recall() < ts.Recall() || gt.Precision() < ts.Precision() {
		t.Errorf("go-types (precision %.2f, recall %.2f) is behind tree-sitter (%.2f, %.2f)", gt.Precision(), gt.Recall(), ts.Precision(), ts.Recall())
	}
}

// fingerprintsAgree checks that where both engines report a rule on a line, the typed
// findings' fingerprints are among tree-sitter's: a baseline does not churn when a module
// starts to build.
func fingerprintsAgree(t *testing.T, treeSitter, typed []finding.Finding) {
	t.Helper()
	at := func(f finding.Finding) string {
		return f.RuleID + " " + f.Location.Path + ":" + strconv.Itoa(f.Location.Region.StartLine)
	}
	prints := map[string][]string{}
	for _, f := range treeSitter {
		prints[at(f)] = append(prints[at(f)], finding.Fingerprints([]finding.Finding{f})[0])
	}
	compared := 0
	for _, f := range typed {
		old, ok := prints[at(f)]
		if !ok {
			continue
		}
		compared++
		if fp := finding.Fingerprints([]finding.Finding{f})[0]; !slices.Contains(old, fp) {
			t.Errorf("%s: typed fingerprint %s (key %q, function %q) is not tree-sitter's", at(f), fp, f.Key, f.Location.Function)
		}
	}
	if compared == 0 {
		t.Error("no finding to compare")
	}
	t.Logf("%d typed findings on lines tree-sitter also reports keep its fingerprints", compared)
}

func packRows(stats []expect.Stats) []expect.Stats {
	var out []expect.Stats
	for _, s := range stats {
		if strings.HasPrefix(s.Rule, "pack ") {
			out = append(out, s)
		}
	}
	return out
}

// total sums per-pack rows.
func total(rows []expect.Stats) expect.Stats {
	t := expect.Stats{Rule: "all"}
	for _, r := range rows {
		t.Matched += r.Matched
		t.Missing += r.Missing
		t.Unexpected += r.Unexpected
		t.KnownMiss += r.KnownMiss
		t.KnownFP += r.KnownFP
	}
	return t
}

// TestAnalysisTime times both engines on the same module, the testdata agent, in one run:
// tree-sitter's per-file stage and link step, and the typed analysis from go list to
// findings (of which listing and type-checking the module, with its dependencies from
// export data). The better of three runs counts.
func TestAnalysisTime(t *testing.T) {
	set := ruleSet(t)
	root := open(t, "../../testdata/gomod/agent")
	var nTS, nTyped int
	ts := best(func() { nTS = len(treeSitterScan(t, root, set).Findings) })
	typed, load := time.Duration(1<<62), time.Duration(0)
	for range 3 {
		start := time.Now()
		res, err := Analyze(context.Background(), root, Options{Set: set})
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d < typed {
			typed, load, nTyped = d, res.Modules[0].Load, len(res.Findings)
		}
	}
	t.Logf("agent module: tree-sitter %v (%d findings, taint and pattern), go-types %v (%d taint findings; go list and type-checking %v, analysis %v): go-types takes %.1f× tree-sitter's time",
		ts.Round(time.Millisecond), nTS, typed.Round(time.Millisecond), nTyped, load.Round(time.Millisecond),
		(typed - load).Round(time.Millisecond), float64(typed)/float64(ts))
	if nTS == 0 || nTyped == 0 {
		t.Error("an engine found nothing")
	}
}

// best is the shortest of three runs.
func best(run func()) time.Duration {
	d := time.Duration(1 << 62)
	for range 3 {
		start := time.Now()
		run()
		d = min(d, time.Since(start))
	}
	return d
}
