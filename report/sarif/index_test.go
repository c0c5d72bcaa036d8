package sarif

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"testing"

	"glassbox/analyzers/finding"
	"glassbox/report"
)

// TestIndexes checks every index of the log against the array it points into: a wrong
// ruleIndex or artifact index makes consumers show the wrong rule or file, silently.
func TestIndexes(t *testing.T) {
	for _, tt := range testScans {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.scan(t)
			run := decode(t, write(t, s))
			d := run.Tool.Driver

			if got, want := len(d.Rules), len(s.Rules.Rules()); got != want {
				t.Errorf("%d rules, want every rule of the scan (%d)", got, want)
			}
			for i, r := range s.Rules.Rules() {
				if d.Rules[i].ID != r.ID {
					t.Errorf("rules[%d] = %s, want %s (sorted by id)", i, d.Rules[i].ID, r.ID)
				}
			}

			checkLoc := func(where string, l locJSON) {
				t.Helper()
				a := l.PhysicalLocation.ArtifactLocation
				if a.Index == nil {
					t.Errorf("%s: artifact %q has no index", where, a.URI)
					return
				}
				if *a.Index < 0 || *a.Index >= len(run.Artifacts) {
					t.Errorf("%s: artifact index %d out of range", where, *a.Index)
					return
				}
				if got := run.Artifacts[*a.Index].Location.URI; got != a.URI {
					t.Errorf("%s: artifact index %d is %q, location says %q", where, *a.Index, got, a.URI)
				}
			}
			for i, r := range run.Results {
				if r.RuleIndex < 0 || r.RuleIndex >= len(d.Rules) || d.Rules[r.RuleIndex].ID != r.RuleID {
					t.Errorf("results[%d]: ruleIndex %d does not point at %s", i, r.RuleIndex, r.RuleID)
				}
				for _, l := range r.Locations {
					checkLoc("result "+itoa(i), l)
				}
				for j, l := range r.RelatedLocations {
					checkLoc("result "+itoa(i)+" related", l)
					if l.ID != j+1 {
						t.Errorf("results[%d].relatedLocations[%d].id = %d, want %d", i, j, l.ID, j+1)
					}
				}
				for _, cf := range r.CodeFlows {
					for _, tf := range cf.ThreadFlows {
						for _, tl := range tf.Locations {
							checkLoc("result "+itoa(i)+" flow", tl.Location)
						}
					}
				}
			}
			var paths []string
			for _, a := range run.Artifacts {
				p, err := url.PathUnescape(a.Location.URI)
				if err != nil {
					t.Errorf("artifact uri %q: %v", a.Location.URI, err)
				}
				paths = append(paths, p)
			}
			if !slices.IsSorted(paths) || len(slices.Compact(slices.Clone(paths))) != len(paths) {
				t.Errorf("artifacts are not sorted by path, or repeat one: %q", paths)
			}

			checkTC := func(where string, ref tcRefJSON) {
				t.Helper()
				if ref.Index < 0 || ref.Index >= len(run.Taxonomies) {
					t.Errorf("%s: taxonomy index %d out of range", where, ref.Index)
					return
				}
				if tx := run.Taxonomies[ref.Index]; tx.Name != ref.Name || tx.GUID != ref.GUID {
					t.Errorf("%s: taxonomy %d is %s %s, reference says %s %s", where, ref.Index, tx.Name, tx.GUID, ref.Name, ref.GUID)
				}
			}
			if len(d.SupportedTaxonomies) != len(run.Taxonomies) {
				t.Errorf("%d supported taxonomies, %d taxonomies", len(d.SupportedTaxonomies), len(run.Taxonomies))
			}
			for i, ref := range d.SupportedTaxonomies {
				checkTC("supportedTaxonomies["+itoa(i)+"]", ref)
			}
			for _, r := range d.Rules {
				for _, rel := range r.Relationships {
					where := r.ID + " → " + rel.Target.ID
					checkTC(where, rel.Target.ToolComponent)
					if tc := rel.Target.ToolComponent.Index; tc >= 0 && tc < len(run.Taxonomies) {
						taxa := run.Taxonomies[tc].Taxa
						if rel.Target.Index < 0 || rel.Target.Index >= len(taxa) || taxa[rel.Target.Index].ID != rel.Target.ID {
							t.Errorf("%s: taxon index %d does not point at %s", where, rel.Target.Index, rel.Target.ID)
						}
					}
					if !slices.Equal(rel.Kinds, []string{"superset"}) {
						t.Errorf("%s: kinds %v", where, rel.Kinds)
					}
				}
			}

			for i, n := range run.Invocations[0].ToolExecutionNotifications {
				di := n.Descriptor.Index
				if di < 0 || di >= len(d.Notifications) || d.Notifications[di].ID != n.Descriptor.ID {
					t.Errorf("notification %d: descriptor index %d does not point at %s", i, di, n.Descriptor.ID)
				}
				if n.Descriptor.ID != s.Notifications[i].ID {
					t.Errorf("notification %d has descriptor %s, want %s (notifications keep their order)", i, n.Descriptor.ID, s.Notifications[i].ID)
				}
				for _, l := range n.Locations {
					if a := l.PhysicalLocation.ArtifactLocation; a.Index != nil {
						checkLoc("notification "+itoa(i), l)
					}
				}
			}
		})
	}
}

// TestRelationships checks that each rule is related to exactly its own ATT&CK and CWE ids,
// and that taxonomies nobody references are left out.
func TestRelationships(t *testing.T) {
	s := realisticScan(t)
	run := decode(t, write(t, s))
	for i, r := range s.Rules.Rules() {
		var want, got []string
		want = append(append(want, r.Attack...), r.CWE...)
		for _, rel := range run.Tool.Driver.Rules[i].Relationships {
			got = append(got, rel.Target.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: related to %v, want %v", r.ID, got, want)
		}
	}
	if len(run.Taxonomies) != 2 || run.Taxonomies[0].Name != "MITRE ATT&CK" || run.Taxonomies[1].Name != "CWE" {
		t.Errorf("taxonomies %+v, want ATT&CK then CWE", run.Taxonomies)
	}

	// Only the egress pack: ATT&CK ids but no CWE, so no CWE taxonomy.
	egress := failedScan(t)
	run = decode(t, write(t, egress))
	if len(run.Taxonomies) != 1 || run.Taxonomies[0].Name != "MITRE ATT&CK" {
		t.Errorf("taxonomies %+v, want only ATT&CK", run.Taxonomies)
	}
}

// TestUnregisteredRule checks that a finding for a rule the scan did not run is an error,
// not a result pointing nowhere, and that nothing is written then.
func TestUnregisteredRule(t *testing.T) {
	stray := testFindings()[0]
	stray.RuleID = "egress/not-a-rule"
	for _, tt := range []struct {
		name  string
		build func(t *testing.T) *report.Scan
	}{
		{"unknown id", func(t *testing.T) *report.Scan { return scanWith(t, stray) }},
		{"no rule set", func(t *testing.T) *report.Scan {
			s := scanWith(t, testFindings()[0])
			s.Rules = nil
			return s
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := (Writer{}).Write(&buf, tt.build(t))
			if err == nil || !strings.Contains(err.Error(), "not among the scan's rules") {
				t.Errorf("Write = %v, want an error about the unregistered rule", err)
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %d bytes despite the error", buf.Len())
			}
		})
	}
}

// TestMissingArtifact checks that a finding in a file missing from Files (a bug upstream)
// still points at an artifact.
func TestMissingArtifact(t *testing.T) {
	s := realisticScan(t)
	s.Files = slices.DeleteFunc(s.Files, func(a finding.Artifact) bool { return a.Path == "src/win/service.cpp" })
	run := decode(t, write(t, s))
	i := slices.IndexFunc(run.Artifacts, func(a artifactJSON) bool { return a.Location.URI == "src/win/service.cpp" })
	if i < 0 {
		t.Fatalf("the finding's file is not among the artifacts")
	}
	if run.Artifacts[i].Length != -1 {
		t.Errorf("length %d, want -1 (unknown)", run.Artifacts[i].Length)
	}
	if len(run.Artifacts) != len(testFiles()) {
		t.Errorf("%d artifacts, want %d", len(run.Artifacts), len(testFiles()))
	}
}

// allNotes lists every notification kind of package finding.
var allNotes = []string{
	finding.NoteTooLarge, finding.NoteBinary, finding.NoteEmpty, finding.NoteUnreadable,
	finding.NoteNotRegular, finding.NoteSymlink, finding.NoteParseError, finding.NoteParseTime,
	finding.NoteParseFailed, finding.NoteDeepNesting, finding.NoteEncoding, finding.NoteFlowsTruncated, finding.NoteInternal,
}

// TestNotificationDescriptors checks that every notification kind has a description, and
// that every notification's kind is registered once as a descriptor, sorted by id.
func TestNotificationDescriptors(t *testing.T) {
	for _, id := range allNotes {
		d, ok := noteInfos[id]
		if !ok {
			t.Errorf("%s: no descriptor", id)
			continue
		}
		for _, text := range []string{d.short, d.full, d.help} {
			if text == "" || !strings.HasSuffix(text, ".") {
				t.Errorf("%s: %q is not a sentence ending with a period", id, text)
			}
		}
		if !d.level.Valid() {
			t.Errorf("%s: level %q", id, d.level)
		}
	}
	if len(noteInfos) != len(allNotes) {
		t.Errorf("%d descriptors for %d kinds: update allNotes", len(noteInfos), len(allNotes))
	}

	for _, tt := range testScans {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.scan(t)
			run := decode(t, write(t, s))
			var want []string
			for _, n := range s.Notifications {
				want = append(want, n.ID)
			}
			slices.Sort(want)
			want = slices.Compact(want)
			var got []string
			for _, d := range run.Tool.Driver.Notifications {
				got = append(got, d.ID)
				if !strings.HasSuffix(d.ShortDescription.Text, ".") {
					t.Errorf("%s: short description %q does not end with a period", d.ID, d.ShortDescription.Text)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("descriptors %v, want %v", got, want)
			}
		})
	}
	if got := decode(t, write(t, realisticScan(t))).Tool.Driver.Notifications; len(got) != len(allNotes) {
		t.Errorf("the realistic scan registers %d notification kinds, want all %d", len(got), len(allNotes))
	}
}
