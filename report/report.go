// Package report writes the results of a scan. Scan is the one input every format reads;
// each format (SARIF, text, JSON) lives in its own subpackage and implements Writer, so the
// command line picks a format by name and nothing else changes.
//
// report is the last stage of the data flow: findings in, bytes out. It never changes what
// was found; it only orders and renders it.
package report

import (
	"io"
	"time"

	"glassbox/analyzers/finding"
	"glassbox/rules"
)

// Scan is everything a report needs about one scan.
type Scan struct {
	Tool    Tool
	Rules   *rules.Set // the rules that ran; every finding's rule is in it
	RootDir string     // absolute scan root; URIs are relative to it
	// Files are the artifacts that were read, sorted by path.
	Files []finding.Artifact
	// Findings are sorted (finding.Sort) and Notifications sorted (finding.CompareNotifications).
	Findings      []finding.Finding
	Notifications []finding.Notification
	Invocation    Invocation
	VCS           *VCS // nil when the root is not a git checkout
}

// Tool identifies glassbox.
type Tool struct {
	Name    string
	Version string
	// InformationURI is where the tool's documentation lives (SARIF's informationUri).
	InformationURI string
}

// Invocation describes the run.
type Invocation struct {
	CommandLine string
	Arguments   []string
	Start, End  time.Time
	// Successful is false when the scan did not complete (it was interrupted, or a
	// configuration error stopped it). Files that could not be analysed do not make a scan
	// unsuccessful: they are notifications.
	Successful bool
}

// VCS is the version control state of the scan root.
type VCS struct {
	RepositoryURI string // remote "origin" URL without credentials, or a file:// URI
	Revision      string // commit id
	Branch        string // "" when HEAD is detached
}

// Writer renders a Scan in one format.
type Writer interface {
	Write(w io.Writer, s *Scan) error
}
