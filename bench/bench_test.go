package bench

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
	"glassbox/analyzers/taint"
	"glassbox/rules"
	"glassbox/workers/scan"
	"glassbox/workers/walk"
)

// corpusSize is a few megabytes: enough that per-file overhead and parsing both show.
const corpusSize = 6 << 20

var (
	corpusOnce sync.Once
	corpusDir  string
	corpusLen  int64
	corpusErr  error
)

func corpus(b *testing.B) (string, int64) {
	corpusOnce.Do(func() {
		corpusDir, corpusErr = os.MkdirTemp("", "glassbox-bench-")
		if corpusErr == nil {
			corpusLen, corpusErr = Generate(corpusDir, corpusSize)
		}
	})
	if corpusErr != nil {
		b.Fatal(corpusErr)
	}
	return corpusDir, corpusLen
}

func TestMain(m *testing.M) {
	code := m.Run()
	if corpusDir != "" {
		os.RemoveAll(corpusDir)
	}
	os.Exit(code)
}

// BenchmarkScanVsParse measures, in the same run and on the same files, the whole scan
// (walk, read, decode, parse, match, sort) and tree-sitter parsing alone, both with one
// goroutine per CPU, and reports both rates and their ratio. The ratio is the figure to
// watch: it says what glassbox adds on top of the parse that bounds it, independent of how
// fast or busy the machine is.
func BenchmarkScanVsParse(b *testing.B) {
	dir, size := corpus(b)
	files := readAll(b, dir)
	engine := newEngine(b)
	root, err := walk.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	var parseTime, scanTime time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		parseAll(b, files)
		t1 := time.Now()
		if _, err := scan.Run(context.Background(), scan.Config{Root: root, Engine: engine}); err != nil {
			b.Fatal(err)
		}
		parseTime += t1.Sub(t0)
		scanTime += time.Since(t1)
	}
	mb := float64(size) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/parseTime.Seconds(), "parse-MB/s")
	b.ReportMetric(mb/scanTime.Seconds(), "scan-MB/s")
	b.ReportMetric(scanTime.Seconds()/parseTime.Seconds(), "scan/parse")
}

// BenchmarkScan is the whole scan alone, for profiling (-cpuprofile).
func BenchmarkScan(b *testing.B) {
	dir, size := corpus(b)
	engine := newEngine(b)
	root, err := walk.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	b.SetBytes(size)
	b.ResetTimer()
	for range b.N {
		if _, err := scan.Run(context.Background(), scan.Config{Root: root, Engine: engine}); err != nil {
			b.Fatal(err)
		}
	}
}

type sample struct {
	lang source.Lang
	text []byte
}

func readAll(b *testing.B, dir string) []sample {
	var files []sample
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		lang, _ := source.LangByName(p)
		if filepath.Ext(p) == ".h" {
			lang = source.DetectHeader(raw)
		}
		files = append(files, sample{lang, raw})
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// parseAll parses every file with one parser per CPU, as the scan's workers do.
func parseAll(b *testing.B, files []sample) {
	jobs := make(chan sample)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := syntax.NewParser(0)
			defer p.Close()
			for f := range jobs {
				t, err := p.Parse(context.Background(), f.lang, f.text)
				if err != nil {
					b.Error(err)
					continue
				}
				t.Close()
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
}

func newEngine(b *testing.B) *analyze.Engine {
	packs, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		b.Fatal(err)
	}
	m, err := match.New(set)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(m.Close)
	return analyze.New(m, analyze.Options{})
}

// BenchmarkTaintOverhead measures, in the same run and on the same files, the scan with the
// pattern rules only (the egress pack) and with every built-in pack, taint included (per-file
// summaries on the workers, the link step on the coordinator), and reports their ratio.
func BenchmarkTaintOverhead(b *testing.B) {
	dir, size := corpus(b)
	root, err := walk.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	packs, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	all, err := rules.NewSet(packs...)
	if err != nil {
		b.Fatal(err)
	}
	patterns, err := all.Select([]string{"egress"})
	if err != nil {
		b.Fatal(err)
	}
	configs := make([]scan.Config, 2)
	for i, set := range []*rules.Set{patterns, all} {
		engine, free, err := analyze.Build(set, analyze.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(free)
		configs[i] = scan.Config{Root: root, Engine: engine,
			Link: func(rs []finding.FileResult) []finding.Finding { return taint.Link(rs, set) }}
	}
	var times [2]time.Duration
	b.ResetTimer()
	for range b.N {
		for i, cfg := range configs {
			t0 := time.Now()
			if _, err := scan.Run(context.Background(), cfg); err != nil {
				b.Fatal(err)
			}
			times[i] += time.Since(t0)
		}
	}
	mb := float64(size) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/times[0].Seconds(), "patterns-MB/s")
	b.ReportMetric(mb/times[1].Seconds(), "all-packs-MB/s")
	b.ReportMetric(times[1].Seconds()/times[0].Seconds(), "taint/patterns")
}
