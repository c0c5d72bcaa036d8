package progress

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Display renders a Meter to a writer.
type Display struct {
	Out io.Writer
	// Terminal redraws one bar in place; otherwise a line is written every Interval.
	Terminal bool
	// Width is the terminal's width in columns (0 means 80).
	Width int
	// Interval between plain lines; 0 means DefaultInterval. The bar is redrawn every
	// BarInterval whatever this says.
	Interval time.Duration

	meter *Meter
	last  time.Time // when the last plain line was written
	drawn bool      // a bar is on the screen
}

// Redraw periods.
const (
	DefaultInterval = 5 * time.Second
	BarInterval     = 200 * time.Millisecond
)

// NewDisplay returns a display of m.
func NewDisplay(m *Meter, out io.Writer, terminal bool, width int) *Display {
	return &Display{Out: out, Terminal: terminal, Width: width, meter: m, last: m.start}
}

// Tick renders the meter as it is at now: the bar always, a plain line only when Interval
// has passed since the last one.
func (d *Display) Tick(now time.Time) {
	s := d.meter.Snapshot(now)
	if d.Terminal {
		fmt.Fprintf(d.Out, "\r%s\x1b[K", Bar(s, d.width()))
		d.drawn = true
		return
	}
	interval := d.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	if now.Sub(d.last) >= interval {
		fmt.Fprintln(d.Out, "glassbox: "+Line(s))
		d.last = now
	}
}

// Clear removes the bar, so what is printed next starts on a clean line.
func (d *Display) Clear() {
	if d.drawn {
		fmt.Fprint(d.Out, "\r\x1b[K")
		d.drawn = false
	}
}

func (d *Display) width() int {
	if d.Width <= 0 {
		return 80
	}
	return d.Width
}

// Run ticks the display until stop is closed, then clears it; it returns when done.
func (d *Display) Run(stop <-chan struct{}) {
	period := BarInterval
	if !d.Terminal {
		period = min(time.Second, d.Interval)
		if period <= 0 {
			period = time.Second
		}
	}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-stop:
			d.Clear()
			return
		case now := <-t.C:
			d.Tick(now)
		}
	}
}

// Line is the plain progress line: "120/340 files, 57 findings, 23.1 files/s, ETA 10s".
func Line(s Snapshot) string {
	return strings.Join(parts(s), ", ")
}

func parts(s Snapshot) []string {
	total := fmt.Sprint(s.Total)
	if !s.Listed {
		total += "+"
	}
	out := []string{fmt.Sprintf("%d/%s files", s.Done, total), fmt.Sprintf("%d findings", s.Findings)}
	if s.Cached > 0 {
		out = append(out, fmt.Sprintf("%d cached", s.Cached))
	}
	out = append(out, fmt.Sprintf("%.1f files/s", s.Rate()))
	if eta, ok := s.ETA(); ok {
		out = append(out, "ETA "+eta.String())
	} else {
		out = append(out, "ETA ?")
	}
	return out
}

// Bar is the terminal progress bar, fitted to width columns:
// "[=======>      ]  42% 120/340 files · 57 findings · 23.1 files/s · ETA 10s".
func Bar(s Snapshot, width int) string {
	text := fmt.Sprintf("%3d%% %s", percent(s), strings.Join(parts(s), " · "))
	barWidth := width - len([]rune(text)) - 3
	if barWidth < 10 {
		return truncate(text, width-1)
	}
	barWidth = min(barWidth, 40)
	filled := 0
	if s.Total > 0 {
		filled = int(int64(barWidth) * s.Done / s.Total)
	}
	bar := strings.Repeat("=", filled)
	if filled < barWidth {
		bar += ">" + strings.Repeat(" ", barWidth-filled-1)
	}
	return "[" + bar + "] " + text
}

func percent(s Snapshot) int64 {
	if s.Total == 0 {
		return 0
	}
	return 100 * s.Done / s.Total
}

func truncate(s string, n int) string {
	r := []rune(s)
	if n < 0 {
		n = 0
	}
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
