// Package progress shows how far a scan has got on standard error: a bar redrawn in place
// when stderr is a terminal, otherwise a plain line every few seconds (CI logs), and
// nothing at all with --quiet (the caller simply does not start it).
//
// It sits beside the data flow, not in it: the coordinator reports each file queued and
// each result in through a Meter, and a Display reads the Meter on a timer. Counts are
// files done of the total (which grows while the walk runs), findings, rate and ETA.
package progress

import (
	"sync/atomic"
	"time"

	"glassbox/analyzers/finding"
)

// Meter counts a scan's progress. It is safe for concurrent use and implements
// dist.Observer.
type Meter struct {
	start                         time.Time
	total, done, findings, cached atomic.Int64
	listed                        atomic.Bool
}

// NewMeter starts counting at start.
func NewMeter(start time.Time) *Meter { return &Meter{start: start} }

// Queued counts one more file to analyse.
func (m *Meter) Queued() { m.total.Add(1) }

// Finished counts one file's result.
func (m *Meter) Finished(r finding.FileResult, cached bool) {
	m.findings.Add(int64(len(r.Findings)))
	if cached {
		m.cached.Add(1)
	}
	m.done.Add(1)
}

// Listed records that the walk is over: the total is final.
func (m *Meter) Listed() { m.listed.Store(true) }

// Snapshot is the meter's counts at one moment.
type Snapshot struct {
	Total, Done, Findings, Cached int64
	Listed                        bool // the total is final
	Elapsed                       time.Duration
}

// Snapshot reads the counts at now.
func (m *Meter) Snapshot(now time.Time) Snapshot {
	done := m.done.Load() // before total: done never exceeds the total read after it
	return Snapshot{Total: m.total.Load(), Done: done, Findings: m.findings.Load(), Cached: m.cached.Load(),
		Listed: m.listed.Load(), Elapsed: now.Sub(m.start)}
}

// Rate is files done per second so far.
func (s Snapshot) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Done) / s.Elapsed.Seconds()
}

// ETA estimates the time left at the rate so far; ok is false while it cannot be known
// (nothing done yet, or the walk still finding files).
func (s Snapshot) ETA() (time.Duration, bool) {
	r := s.Rate()
	if !s.Listed || r == 0 {
		return 0, false
	}
	left := float64(s.Total-s.Done) / r
	return time.Duration(left * float64(time.Second)).Round(time.Second), true
}
