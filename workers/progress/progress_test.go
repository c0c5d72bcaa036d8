package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"glassbox/analyzers/finding"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func meter(total, done, findings, cached int, listed bool) *Meter {
	m := NewMeter(t0)
	for range total {
		m.Queued()
	}
	for i := range done {
		m.Finished(finding.FileResult{Findings: make([]finding.Finding, findings/done+boolInt(i < findings%done))}, i < cached)
	}
	if listed {
		m.Listed()
	}
	return m
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestLine(t *testing.T) {
	tests := []struct {
		m       *Meter
		elapsed time.Duration
		want    string
	}{
		{meter(0, 0, 0, 0, false), 0, "0/0+ files, 0 findings, 0.0 files/s, ETA ?"},
		{meter(40, 10, 7, 0, false), 2 * time.Second, "10/40+ files, 7 findings, 5.0 files/s, ETA ?"},
		{meter(40, 10, 7, 0, true), 2 * time.Second, "10/40 files, 7 findings, 5.0 files/s, ETA 6s"},
		{meter(40, 40, 9, 40, true), 4 * time.Second, "40/40 files, 9 findings, 40 cached, 10.0 files/s, ETA 0s"},
	}
	for _, tc := range tests {
		if got := Line(tc.m.Snapshot(t0.Add(tc.elapsed))); got != tc.want {
			t.Errorf("Line = %q, want %q", got, tc.want)
		}
	}
}

func TestBar(t *testing.T) {
	s := meter(40, 10, 7, 0, true).Snapshot(t0.Add(2 * time.Second))
	got := Bar(s, 100)
	want := "[" + strings.Repeat("=", 10) + ">" + strings.Repeat(" ", 29) + "]  25% 10/40 files · 7 findings · 5.0 files/s · ETA 6s"
	if got != want {
		t.Errorf("Bar(100) =\n%q\nwant\n%q", got, want)
	}
	if n := len([]rune(got)); n > 100 {
		t.Errorf("bar is %d columns wide in a 100-column terminal", n)
	}
	if narrow := Bar(s, 30); len([]rune(narrow)) >= 30 || strings.Contains(narrow, "[") {
		t.Errorf("Bar(30) = %q: want the text alone, cut to the width", narrow)
	}
	done := meter(40, 40, 0, 0, true).Snapshot(t0.Add(time.Second))
	if b := Bar(done, 100); !strings.HasPrefix(b, "["+strings.Repeat("=", 40)+"] 100%") {
		t.Errorf("finished bar = %q", b)
	}
}

// TestPlainDisplay drives the non-terminal display with a fake clock: one line per
// interval, nothing in between, and no control characters in a log.
func TestPlainDisplay(t *testing.T) {
	m := meter(10, 0, 0, 0, false)
	var out bytes.Buffer
	d := NewDisplay(m, &out, false, 0)
	d.Interval = 5 * time.Second
	d.Tick(t0.Add(time.Second))
	if out.Len() != 0 {
		t.Fatalf("line before the first interval: %q", out.String())
	}
	m.Finished(finding.FileResult{Findings: make([]finding.Finding, 3)}, false)
	d.Tick(t0.Add(5 * time.Second))
	d.Tick(t0.Add(7 * time.Second))
	m.Listed()
	d.Tick(t0.Add(10 * time.Second))
	d.Clear()
	want := "glassbox: 1/10+ files, 3 findings, 0.2 files/s, ETA ?\n" +
		"glassbox: 1/10 files, 3 findings, 0.1 files/s, ETA 1m30s\n"
	if out.String() != want {
		t.Errorf("output:\n%q\nwant\n%q", out.String(), want)
	}
}

func TestTerminalDisplay(t *testing.T) {
	m := meter(4, 2, 1, 0, true)
	var out bytes.Buffer
	d := NewDisplay(m, &out, true, 100)
	d.Tick(t0.Add(time.Second))
	if s := out.String(); !strings.HasPrefix(s, "\r[") || !strings.HasSuffix(s, "\x1b[K") || strings.Contains(s, "\n") {
		t.Errorf("bar: %q", s)
	}
	out.Reset()
	d.Clear()
	d.Clear()
	if out.String() != "\r\x1b[K" {
		t.Errorf("clear: %q, want one line erase", out.String())
	}
}

func TestRunStops(t *testing.T) {
	var out bytes.Buffer
	d := NewDisplay(meter(1, 1, 0, 0, true), &out, true, 80)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { d.Run(stop); close(done) }()
	time.Sleep(3 * BarInterval)
	close(stop)
	<-done
	if s := out.String(); !strings.Contains(s, "1/1 files") || !strings.HasSuffix(s, "\r\x1b[K") {
		t.Errorf("output %q: want bars, then the line cleared", s)
	}
}
