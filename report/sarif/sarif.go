// Package sarif renders a scan as SARIF 2.1.0, the format GitHub code scanning, review firms'
// SAST tools and dashboards ingest. It is the last step of glassbox's data flow (files →
// parse → rules → findings → SARIF): it reads a report.Scan and changes nothing that was
// found, it only orders and renders it.
//
// The conventions glassbox follows (testdata/golden.sarif is the format contract):
//
//   - One run per scan. run.columnKind is "utf16CodeUnits": glassbox counts columns in UTF-16
//     code units of the decoded line, so they stay right for legacy code pages. Lone CRs end
//     lines too, which run.newlineSequences says.
//   - tool.driver lists every rule of the scan sorted by id, whether or not it has results,
//     so a ruleIndex means the same rule in every log of the same rule set. Each rule carries
//     short and full descriptions, text and markdown help, a default level, and the
//     properties GitHub reads: tags (with "security" and "external/cwe/cwe-N"), precision and
//     a one-decimal "security-severity" string, plus its pack and pack version.
//   - MITRE ATT&CK techniques and CWE weaknesses are run.taxonomies with deterministic GUIDs;
//     rules point at their taxa with "superset" relationships.
//   - Results carry ruleId and ruleIndex, the rule's level, a message, a region with snippet,
//     a context region when it strictly contains the region, the enclosing function as a
//     logical location, a code flow for a flow, related locations, and
//     partialFingerprints["glassbox/v1"], which survive lines inserted above.
//   - Every URI is relative to the %SRCROOT% base id, which originalUriBaseIds maps to the
//     scan root; artifacts carry length, sha-256 and an IANA encoding name.
//   - The invocation carries the command line, timing, success and one
//     toolExecutionNotification per file glassbox could not analyse cleanly; each
//     notification kind is a descriptor in tool.driver.notifications.
//   - Plain-text messages are sentences (ending with a period unless they end with '!' or
//     '?'), no value is ever null, and the output is byte-for-byte deterministic apart from
//     the invocation's start and end times.
//
// The log is built with github.com/owenrumney/go-sarif/v2. That library's
// reportingDescriptor has no "relationships" property, so the few types on the path from the
// log to a rule (sarifLog, run, tool, driver, rule) are thin wrappers that embed go-sarif's
// types and add or replace one field each; everything else is go-sarif's.
package sarif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"glassbox/report"
)

// Writer writes SARIF 2.1.0 with github.com/owenrumney/go-sarif/v2.
type Writer struct{}

var _ report.Writer = Writer{}

// Write renders s as one indented SARIF log followed by a newline. It never modifies s. A
// finding whose rule is not among s.Rules is an error (a bug upstream): a result must
// reference a registered rule, and nothing is written then.
func (Writer) Write(w io.Writer, s *report.Scan) error {
	l, err := build(s)
	if err != nil {
		return err
	}
	// Encode into a buffer first so that a failure leaves w untouched rather than holding
	// half a log. HTML escaping is off because help markdown is full of < > & that would
	// otherwise become \u003c and friends, which is valid but unreadable.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(l); err != nil {
		return fmt.Errorf("sarif: encoding the log: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// srcRoot is the base id every URI of the log is relative to.
const srcRoot = "%SRCROOT%"

// language is the language of every message in the log. It is SARIF's default, written out
// because go-sarif v3 (and so any consumer built on it) reads a missing language as "",
// which its own schema check then rejects.
const language = "en-US"

// newlineSequences are what glassbox counts as line ends (analyzers/source): CR alone too,
// unlike SARIF's default of CRLF and LF, so a consumer counting lines in a file with old Mac
// line ends must know, or every line number after the first lone CR is off.
var newlineSequences = []string{"\r\n", "\n", "\r"}

// build assembles the whole log.
func build(s *report.Scan) (*sarifLog, error) {
	rs := scanRules(s)
	arts := newArtifacts(s)
	tax := newTaxonomies(rs)
	results, err := newResults(s, rs, arts)
	if err != nil {
		return nil, err
	}
	inv, notes := newInvocation(s, arts)

	d := newDriver(s.Tool, rs, tax)
	d.Notifications = notes

	r := &sarif.Run{
		Artifacts:          arts.list,
		Invocations:        []*sarif.Invocation{inv},
		Results:            results,
		ColumnKind:         "utf16CodeUnits",
		Language:           ptr(language),
		NewlineSequences:   slices.Clone(newlineSequences),
		OriginalUriBaseIDs: originalURIBaseIDs(s.RootDir),
		Taxonomies:         tax.components(),
	}
	if vcp := provenance(s.VCS); vcp != nil {
		r.VersionControlProvenance = []*sarif.VersionControlDetails{vcp}
	}

	rep, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, fmt.Errorf("sarif: %w", err)
	}
	return &sarifLog{Report: rep, Runs: []*run{{Tool: tool{Driver: d}, Run: r}}}, nil
}

// provenance names the commit the scan root is a checkout of, or returns nil. A repository
// URI is required by the schema, so without one there is no provenance to give.
func provenance(v *report.VCS) *sarif.VersionControlDetails {
	if v == nil || v.RepositoryURI == "" {
		return nil
	}
	return &sarif.VersionControlDetails{
		RepositoryURI: ptr(v.RepositoryURI),
		RevisionID:    nonEmpty(v.Revision),
		Branch:        nonEmpty(v.Branch),
		MappedTo:      &sarif.ArtifactLocation{URIBaseId: ptr(srcRoot)},
	}
}

// The wrapper types below exist only to add reportingDescriptor.relationships, which
// go-sarif v2 does not model. A field declared here shadows the embedded go-sarif field of
// the same JSON name (encoding/json prefers the shallower field), so each wrapper replaces
// exactly one field on the path from the log to the rules.

// sarifLog is a sarif.Report whose runs are glassbox runs.
type sarifLog struct {
	*sarif.Report
	Runs []*run `json:"runs"`
}

// run is a sarif.Run whose tool is a glassbox tool. Tool comes first so it is written first,
// where readers of the log look for it.
type run struct {
	Tool tool `json:"tool"`
	*sarif.Run
}

// tool holds the driver; glassbox has no extensions.
type tool struct {
	Driver *driver `json:"driver"`
}

// driver is a sarif.ToolComponent whose rules carry relationships.
type driver struct {
	*sarif.ToolComponent
	Rules []*rule `json:"rules"`
}

// rule is a sarif.ReportingDescriptor with relationships to taxa.
type rule struct {
	*sarif.ReportingDescriptor
	Relationships []*relationship `json:"relationships,omitempty"`
}

// relationship is SARIF's reportingDescriptorRelationship.
type relationship struct {
	Target *sarif.ReportingDescriptorReference `json:"target"`
	Kinds  []string                            `json:"kinds"`
}

// ptr returns a pointer to a copy of v: go-sarif models optional fields as pointers.
func ptr[T any](v T) *T { return &v }

// nonEmpty is ptr for strings that are omitted when empty.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
