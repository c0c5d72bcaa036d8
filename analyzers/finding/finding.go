// Package finding is the data model every stage of glassbox shares: what a rule found, where,
// and what went wrong while looking. It sits at the bottom of the data flow (files → parse →
// rules → findings → SARIF) and imports nothing of ours, so analyzers, workers and report
// writers can all speak it. Every type here is plain data that survives a JSON round trip,
// because per-file results travel from workers to the coordinator as messages.
package finding

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
)

// Level is a SARIF result or notification level.
type Level string

// The levels a rule or notification can carry, from most to least severe.
const (
	Error   Level = "error"
	Warning Level = "warning"
	Note    Level = "note"
)

// Rank orders levels so that "at or above" comparisons (--fail-on) are simple integer tests.
// An unknown level ranks below Note.
func (l Level) Rank() int {
	switch l {
	case Error:
		return 3
	case Warning:
		return 2
	case Note:
		return 1
	}
	return 0
}

// Valid reports whether l is one of the three SARIF levels glassbox uses.
func (l Level) Valid() bool { return l.Rank() > 0 }

// Region is a span of a source file. Lines and columns are 1-based; columns count UTF-16
// code units of the decoded line, which is SARIF's default column kind, so they stay right
// for files in legacy code pages or UTF-16. End is exclusive, as in SARIF.
type Region struct {
	StartLine   int    `json:"startLine"`
	StartColumn int    `json:"startColumn"`
	EndLine     int    `json:"endLine"`
	EndColumn   int    `json:"endColumn"`
	Snippet     string `json:"snippet,omitempty"`
}

// Location is a region in one file of the scan. Path is slash-separated and relative to the
// scan root. Function names the enclosing function ("" at file scope); it feeds fingerprints
// so that they survive lines being inserted above. Context is the whole lines around Region.
type Location struct {
	Path     string  `json:"path"`
	Region   Region  `json:"region"`
	Context  *Region `json:"context,omitempty"`
	Function string  `json:"function,omitempty"`
}

// Step is one hop of a code flow, or a related location, with what happens there.
type Step struct {
	Location Location `json:"location"`
	Message  string   `json:"message"`
}

// Finding is one result of one rule. Properties hold what a reviewer filters on (API,
// endpoint, data kind); values are strings, numbers, booleans or lists of strings.
type Finding struct {
	RuleID     string         `json:"ruleId"`
	Message    string         `json:"message"`
	Location   Location       `json:"location"`
	Properties map[string]any `json:"properties,omitempty"`
	Flow       []Step         `json:"flow,omitempty"`
	// Paths are further code flows to the same result: the paths from other sources that
	// the message cannot tell apart (three recv calls that reach one unlink), one per source.
	Paths   [][]Step `json:"paths,omitempty"`
	Related []Step   `json:"related,omitempty"`
	// Key distinguishes findings of one rule that share a line (two calls on one line);
	// it is the matched text, and feeds the fingerprint.
	Key string `json:"key,omitempty"`
}

// Notification kinds: every file glassbox could not analyse fully says why with one of these.
const (
	NoteTooLarge    = "file-too-large"
	NoteBinary      = "binary-file"
	NoteEmpty       = "empty-file"
	NoteUnreadable  = "unreadable-file"
	NoteNotRegular  = "not-regular-file"
	NoteSymlink     = "symlink-not-followed"
	NoteParseError  = "syntax-errors"
	NoteParseTime   = "parse-timeout"
	NoteParseFailed = "parse-failed"
	NoteDeepNesting = "deep-nesting"
	NoteEncoding    = "legacy-encoding"
	NoteInternal    = "internal-error"
	// NoteFlowsTruncated says a function had more data flows than are kept.
	NoteFlowsTruncated = "flows-truncated"
)

// Notification is something the tool wants the reviewer to know about its own run: a file
// skipped, parsed with errors, or decoded from a legacy code page. Line is 0 when the
// notification concerns the whole file.
type Notification struct {
	ID      string `json:"id"`
	Level   Level  `json:"level"`
	Path    string `json:"path,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Artifact describes one file that was read: its language, size, hash and encoding.
type Artifact struct {
	Path     string `json:"path"`
	Lang     string `json:"lang,omitempty"`
	Length   int64  `json:"length"`
	SHA256   string `json:"sha256,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

// FileResult is everything the per-file stage produces for one file: the findings of
// pattern rules, and the summaries the link step joins across files.
type FileResult struct {
	Artifact      Artifact       `json:"artifact"`
	Findings      []Finding      `json:"findings,omitempty"`
	Notifications []Notification `json:"notifications,omitempty"`
	Functions     []Function     `json:"functions,omitempty"`
	Tables        []Table        `json:"tables,omitempty"`
	Stores        []Store        `json:"stores,omitempty"`
	Members       []Member       `json:"members,omitempty"`
	Classes       []Class        `json:"classes,omitempty"`
}

// Compare orders findings by file, position, rule and key: the order reports use, so that
// output does not depend on which worker finished first.
func Compare(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.Location.Path, b.Location.Path),
		cmp.Compare(a.Location.Region.StartLine, b.Location.Region.StartLine),
		cmp.Compare(a.Location.Region.StartColumn, b.Location.Region.StartColumn),
		cmp.Compare(a.Location.Region.EndLine, b.Location.Region.EndLine),
		cmp.Compare(a.Location.Region.EndColumn, b.Location.Region.EndColumn),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Key, b.Key),
		cmp.Compare(a.Message, b.Message),
		// The rest only breaks ties, so that no order of arrival shows in a report.
		slices.CompareFunc(a.Related, b.Related, compareSteps),
		slices.CompareFunc(a.Flow, b.Flow, compareSteps),
	)
}

func compareSteps(a, b Step) int {
	return cmp.Or(cmp.Compare(a.Location.Path, b.Location.Path),
		cmp.Compare(a.Location.Region.StartLine, b.Location.Region.StartLine),
		cmp.Compare(a.Location.Region.StartColumn, b.Location.Region.StartColumn),
		cmp.Compare(a.Location.Region.EndLine, b.Location.Region.EndLine),
		cmp.Compare(a.Location.Region.EndColumn, b.Location.Region.EndColumn),
		cmp.Compare(a.Message, b.Message))
}

// CompareNotifications orders notifications by file, line, kind and message.
func CompareNotifications(a, b Notification) int {
	return cmp.Or(
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.ID, b.ID),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort puts findings in report order and drops exact duplicates (the same rule matching
// the same span twice, e.g. through two patterns of one query). Findings of one rule at one
// span with one message are one result to a reader, whatever their keys: they become one
// finding whose flow is the first's and whose Paths hold the others' (a SARIF result with one
// code flow per source, as CodeQL reports several paths to one alert).
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, Compare)
	type same struct {
		rule, path, msg string
		region          Region
	}
	first := map[same]int{}
	out := fs[:0]
	for _, f := range fs {
		k := same{f.RuleID, f.Location.Path, f.Message, f.Location.Region}
		i, dup := first[k]
		if !dup {
			first[k] = len(out)
			out = append(out, f)
			continue
		}
		out[i] = out[i].merge(f)
	}
	return out
}

// Steps returns every step a finding shows: its flow, its further paths and its related
// locations, in that order.
func (f *Finding) Steps() []Step {
	out := slices.Clone(f.Flow)
	for _, p := range f.Paths {
		out = append(out, p...)
	}
	return append(out, f.Related...)
}

// merge adds b's flows and related locations to f's, each once.
func (f Finding) merge(b Finding) Finding {
	has := func(flow []Step) bool {
		return slices.EqualFunc(flow, f.Flow, equalSteps) ||
			slices.ContainsFunc(f.Paths, func(p []Step) bool { return slices.EqualFunc(flow, p, equalSteps) })
	}
	for _, flow := range append([][]Step{b.Flow}, b.Paths...) {
		if len(flow) > 0 && !has(flow) {
			f.Paths = append(slices.Clip(f.Paths), flow)
		}
	}
	for _, r := range b.Related {
		if !slices.ContainsFunc(f.Related, func(x Step) bool { return equalSteps(x, r) }) {
			f.Related = append(slices.Clip(f.Related), r)
		}
	}
	return f
}

func equalSteps(a, b Step) bool { return compareSteps(a, b) == 0 }

// FingerprintVersion names the fingerprint scheme in SARIF partialFingerprints.
const FingerprintVersion = "glassbox/v1"

// Fingerprints returns a stable identity for each finding of a sorted list. It hashes the
// rule, the file, the enclosing function and the normalized matched text, plus the
// occurrence number among findings that share all four — never a line number, so inserting
// unrelated lines above a finding does not change it, and reformatting the line does not
// either.
func Fingerprints(fs []Finding) []string {
	out := make([]string, len(fs))
	seen := map[string]int{}
	for i, f := range fs {
		base := f.RuleID + "\x00" + f.Location.Path + "\x00" + f.Location.Function + "\x00" + f.Key
		n := seen[base]
		seen[base] = n + 1
		sum := sha256.Sum256([]byte(base))
		out[i] = hex.EncodeToString(sum[:16]) + ":" + strconv.Itoa(n+1)
	}
	return out
}
