package sarif

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"glassbox/analyzers/finding"
	"glassbox/report"
)

// TestDeterministic checks that equal scans give equal bytes, whatever order the caller
// built them in before sorting them, and that Write leaves the scan as it found it.
func TestDeterministic(t *testing.T) {
	for _, tt := range testScans {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.scan(t)
			first := write(t, s)
			if again := write(t, s); !bytes.Equal(first, again) {
				t.Errorf("writing the same scan twice gave different bytes:\n%s", firstDiff(again, first))
			}
			if !reflect.DeepEqual(s, tt.scan(t)) {
				t.Errorf("Write modified the scan")
			}

			// The same scan assembled in reverse order, then sorted as the contract says.
			r := tt.scan(t)
			slices.Reverse(r.Findings)
			r.Findings = finding.Sort(r.Findings)
			slices.Reverse(r.Notifications)
			slices.SortFunc(r.Notifications, finding.CompareNotifications)
			slices.Reverse(r.Files) // not re-sorted: artifacts are sorted by the writer
			if got := write(t, r); !bytes.Equal(first, got) {
				t.Errorf("the same scan built in another order gave different bytes:\n%s", firstDiff(got, first))
			}
		})
	}
}

// shift moves a location down by n lines, as inserting n lines above it would.
func shift(l finding.Location, n int) finding.Location {
	l.Region.StartLine += n
	l.Region.EndLine += n
	if l.Context != nil {
		c := *l.Context
		c.StartLine += n
		c.EndLine += n
		l.Context = &c
	}
	return l
}

// TestFingerprintsSurviveInsertedLines scans "the same code with 3 lines inserted at the
// top of every file": every result moves, and no partial fingerprint may change, or code
// scanning would close every alert and open a new one.
func TestFingerprintsSurviveInsertedLines(t *testing.T) {
	before := realisticScan(t)
	after := realisticScan(t)
	for i := range after.Findings {
		f := &after.Findings[i]
		f.Location = shift(f.Location, 3)
		for j := range f.Flow {
			f.Flow[j].Location = shift(f.Flow[j].Location, 3)
		}
		for j := range f.Related {
			f.Related[j].Location = shift(f.Related[j].Location, 3)
		}
	}
	b, a := decode(t, write(t, before)).Results, decode(t, write(t, after)).Results
	if len(a) != len(b) || len(b) == 0 {
		t.Fatalf("got %d and %d results", len(b), len(a))
	}
	seen := map[string]bool{}
	for i := range b {
		fb, fa := b[i].PartialFingerprints, a[i].PartialFingerprints
		if len(fb) != 1 || fb[finding.FingerprintVersion] == "" {
			t.Errorf("result %d: partialFingerprints = %v, want one %q", i, fb, finding.FingerprintVersion)
		}
		if !reflect.DeepEqual(fa, fb) {
			t.Errorf("result %d (%s): fingerprints changed when lines were inserted above: %v → %v", i, b[i].RuleID, fb, fa)
		}
		if got, want := a[i].Locations[0].PhysicalLocation.Region.StartLine, b[i].Locations[0].PhysicalLocation.Region.StartLine+3; got != want {
			t.Errorf("result %d: startLine %d, want %d (the test did not move it)", i, got, want)
		}
		fp := fb[finding.FingerprintVersion]
		if seen[fp] {
			t.Errorf("result %d: fingerprint %s is not unique", i, fp)
		}
		seen[fp] = true
	}
}

// TestResultProperties checks that a finding's properties are copied as they are, except
// that nothing may be null.
func TestResultProperties(t *testing.T) {
	s := realisticScan(t)
	s.Findings[0].Properties = map[string]any{
		"api": "send", "count": 3, "ratio": 0.5, "tls": false, "hosts": []string{"a", "b"},
		"none": nil, "nilList": []string(nil), "nilMap": map[string]string(nil), "nilPtr": (*int)(nil),
	}
	var l struct {
		Runs []struct {
			Results []struct {
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(write(t, s), &l); err != nil {
		t.Fatal(err)
	}
	got := l.Runs[0].Results[0].Properties
	want := map[string]any{
		"api": "send", "count": 3.0, "ratio": 0.5, "tls": false, "hosts": []any{"a", "b"},
		"nilList": []any{}, "nilMap": map[string]any{},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("properties = %v, want %v", got, want)
	}
	if s.Findings[0].Properties["none"] != nil || len(s.Findings[0].Properties) != 9 {
		t.Errorf("Write modified the finding's properties: %v", s.Findings[0].Properties)
	}
}

// scanWith is the realistic scan with its findings replaced.
func scanWith(t *testing.T, fs ...finding.Finding) *report.Scan {
	s := realisticScan(t)
	s.Findings = fs
	return s
}
