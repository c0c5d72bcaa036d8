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
	// Exec runs the per-file stage. Nil means a Local pool of Workers goroutines running
	// Engine.
	Exec    Executor
	Workers int
	Engine  *analyze.Engine
	// Link, when set, is the link step: it receives every file's result once all are in and
	// returns the findings that need the whole program (taint paths across files).
	Link func([]finding.FileResult) []finding.Finding
}

// Executor runs the per-file stage on every file it receives and sends exactly one result per
// file, in any order. It returns when files is closed and every result has been sent (nil),
// or with an error when it cannot go on (ctx ended, the transport failed). Where the work
// runs — goroutines here, workers on other machines — is the executor's business.
type Executor interface {
	Run(ctx context.Context, files <-chan source.File, results chan<- finding.FileResult) error
}

// Local is the in-process executor: Workers goroutines (0 means one per CPU), each with its
// own Engine session.
type Local struct {
	Engine  *analyze.Engine
	Workers int
}

// Run implements Executor.
func (l Local) Run(ctx context.Context, files <-chan source.File, results chan<- finding.FileResult) error {
	workers := l.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := l.Engine.NewSession()
			defer s.Close()
			for f := range files {
				select {
				case results <- s.Analyze(ctx, f):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
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
	exec := cfg.Exec
	if exec == nil {
		exec = Local{Engine: cfg.Engine, Workers: cfg.Workers}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	files := make(chan source.File, runtime.GOMAXPROCS(0))
	results := make(chan finding.FileResult, runtime.GOMAXPROCS(0))
	var walkNotes []finding.Notification
	walkErr := make(chan error, 1)
	go func() {
		defer close(files)
		opts := cfg.Walk
		opts.Only = cfg.Root.Only
		walkErr <- walk.Walk(ctx, cfg.Root.FS, opts, func(f source.File) error {
			select {
			case files <- f:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}, func(n finding.Notification) { walkNotes = append(walkNotes, n) })
	}()
	execErr := make(chan error, 1)
	go func() {
		defer close(results)
		execErr <- exec.Run(ctx, files, results)
	}()

	res := &Result{}
	var summaries []finding.FileResult
	for r := range results {
		res.add(r)
		// A header may hold only class declarations, a file only a command table: they
		// matter to the link as much as functions do.
		if cfg.Link != nil && len(r.Functions)+len(r.Tables)+len(r.Stores)+len(r.Members)+len(r.Classes) > 0 {
			summaries = append(summaries, finding.FileResult{Artifact: r.Artifact, Functions: r.Functions,
				Tables: r.Tables, Stores: r.Stores, Members: r.Members, Classes: r.Classes})
		}
	}
	if err := <-execErr; err != nil {
		cancel() // stop the walk, which may be blocked handing over a file
		<-walkErr
		return nil, err
	}
	if err := <-walkErr; err != nil {
		return nil, err
	}
	res.Notifications = append(res.Notifications, walkNotes...)
	if cfg.Link != nil {
		// Results arrive in completion order; the link step sees them in path order so that
		// its output does not depend on which worker finished first.
		slices.SortFunc(summaries, func(a, b finding.FileResult) int { return cmp.Compare(a.Artifact.Path, b.Artifact.Path) })
		res.Findings = append(res.Findings, cfg.Link(summaries)...)
	}
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
