// Package scan runs a whole scan: it walks the scan root, hands each file to a pool of
// workers that run the per-file stage (analyze), and gathers their results into one sorted
// Result. It is the coordinator of the data flow (walk → per-file analysis → results); the
// report packages turn its Result into SARIF or text.
//
// Output does not depend on the number of workers or on which finishes first: results are
// sorted before they are returned.
package scan

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/workers/walk"
)

// Config says what to scan and how.
type Config struct {
	// Root is the opened scan root.
	Root *walk.Root
	Walk walk.Options
	// Workers is the number of files analysed at once; 0 means one per CPU.
	Workers int
	Engine  *analyze.Engine
}

// Result is a finished scan, sorted.
type Result struct {
	Files         []finding.Artifact
	Findings      []finding.Finding
	Notifications []finding.Notification
}

// Run scans cfg.Root. It returns an error only when the scan could not complete: ctx ended,
// or the walk options were invalid. A file that cannot be analysed is a notification.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan source.File, workers)
	results := make(chan finding.FileResult, workers)
	var walkNotes []finding.Notification
	walkErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		opts := cfg.Walk
		opts.Only = cfg.Root.Only
		walkErr <- walk.Walk(ctx, cfg.Root.FS, opts, func(f source.File) error {
			select {
			case jobs <- f:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, func(n finding.Notification) { walkNotes = append(walkNotes, n) })
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := cfg.Engine.NewSession()
			defer s.Close()
			for f := range jobs {
				results <- s.Analyze(ctx, f)
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	res := &Result{}
	for r := range results {
		res.add(r)
	}
	if err := <-walkErr; err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Notifications = append(res.Notifications, walkNotes...)
	res.sort()
	return res, nil
}

func (r *Result) add(fr finding.FileResult) {
	r.Files = append(r.Files, fr.Artifact)
	r.Findings = append(r.Findings, fr.Findings...)
	r.Notifications = append(r.Notifications, fr.Notifications...)
}

func (r *Result) sort() {
	slices.SortFunc(r.Files, func(a, b finding.Artifact) int { return cmp.Compare(a.Path, b.Path) })
	r.Findings = finding.Sort(r.Findings)
	slices.SortFunc(r.Notifications, finding.CompareNotifications)
}
