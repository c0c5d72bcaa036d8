// Package jsonreport writes a scan as one JSON document in glassbox's own simple shape — the
// findings with their fingerprints, the files, the notifications and the run — for scripts
// that want the data without SARIF's indirections.
package jsonreport

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"glassbox/analyzers/finding"
	"glassbox/report"
)

// Writer writes the JSON format.
type Writer struct{}

type document struct {
	Tool          report.Tool            `json:"tool"`
	Root          string                 `json:"root"`
	VCS           *report.VCS            `json:"vcs,omitempty"`
	Start         time.Time              `json:"start"`
	End           time.Time              `json:"end"`
	Successful    bool                   `json:"successful"`
	Packs         []pack                 `json:"packs"`
	Findings      []result               `json:"findings"`
	Files         []finding.Artifact     `json:"files"`
	Notifications []finding.Notification `json:"notifications"`
}

type pack struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

type result struct {
	finding.Finding
	Severity    finding.Level `json:"severity"`
	Fingerprint string        `json:"fingerprint"`
}

// Write renders s as indented JSON.
func (Writer) Write(w io.Writer, s *report.Scan) error {
	doc := document{
		Tool: s.Tool, Root: s.RootDir, VCS: s.VCS,
		Start: s.Invocation.Start.UTC(), End: s.Invocation.End.UTC(), Successful: s.Invocation.Successful,
		Packs: []pack{}, Findings: []result{}, Files: s.Files, Notifications: s.Notifications,
	}
	for _, p := range s.Rules.Packs {
		doc.Packs = append(doc.Packs, pack{Name: p.Name, Version: p.Version, Digest: p.Digest})
	}
	fps := finding.Fingerprints(s.Findings)
	for i, f := range s.Findings {
		r := s.Rules.Rule(f.RuleID)
		if r == nil {
			return fmt.Errorf("jsonreport: finding for unknown rule %q", f.RuleID)
		}
		doc.Findings = append(doc.Findings, result{Finding: f, Severity: r.Severity, Fingerprint: fps[i]})
	}
	if doc.Files == nil {
		doc.Files = []finding.Artifact{}
	}
	if doc.Notifications == nil {
		doc.Notifications = []finding.Notification{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

var _ report.Writer = Writer{}
