package dist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// SchemaVersion is the version of every message this package sends. A receiver rejects
// any other: a coordinator and workers of different message schemas must not mix.
const SchemaVersion = 1

// Limits on what a message may hold; anything larger is rejected unread.
const (
	MaxJobBytes     = 64 << 10  // a job names things; it never carries content
	MaxContentBytes = 256 << 20 // one file's content, fetched from the object store
	MaxResultBytes  = 256 << 20 // one file's result, inline or from the object store
	maxPacks        = 64
	maxPath         = 4096
	maxParseTimeout = time.Hour
)

// ErrInvalidMessage is wrapped by every reason a message is rejected.
var ErrInvalidMessage = errors.New("dist: invalid message")

// Job asks a worker to analyse one file. It names content, it never carries it.
type Job struct {
	Schema int    `json:"schema"`
	Scan   string `json:"scan"`
	ID     string `json:"id"` // unique within the scan
	Path   string `json:"path"`
	Lang   string `json:"lang"`
	Header bool   `json:"header,omitempty"`
	// Blob is the hex SHA-256 of the content: its name in the object store.
	Blob string `json:"blob"`
	Size int64  `json:"size"`
	// Packs are the digests of the rule packs to run, also object store names.
	Packs []string `json:"packs"`
	// Engine is analyze.EngineVersion on the coordinator; a worker of another version
	// would produce (and the coordinator would cache) different results.
	Engine       string `json:"engine"`
	ParseTimeout int64  `json:"parse_timeout_ns"`
	Encoding     string `json:"encoding,omitempty"`
}

// Result carries one file's result back to the coordinator.
type Result struct {
	Schema int    `json:"schema"`
	Scan   string `json:"scan"`
	Job    string `json:"job"`
	Worker string `json:"worker,omitempty"`
	Payload
}

// Payload is a finding.FileResult as JSON, inline or, when large, in the object store. The
// result cache stores payloads as they came.
type Payload struct {
	Inline json.RawMessage `json:"result,omitempty"`
	Blob   string          `json:"result_blob,omitempty"`
	// Escaped says that strings which are not UTF-8 were escaped (bytesafe.go).
	Escaped bool `json:"escaped,omitempty"`
}

// Announcement tells workers that a scan is running and where its jobs are.
type Announcement struct {
	Schema int    `json:"schema"`
	Scan   string `json:"scan"`
}

var (
	idPattern  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	hexPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidMessage, fmt.Sprintf(format, args...))
}

// decodeStrict decodes one JSON object of at most limit bytes, refusing unknown fields: a
// field this version does not know means a schema this version does not speak.
func decodeStrict(data []byte, limit int, v any) error {
	if len(data) > limit {
		return invalid("%d bytes, more than the %d allowed", len(data), limit)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return invalid("not a JSON message of this schema: %v", err)
	}
	if dec.More() {
		return invalid("trailing data after the JSON message")
	}
	return nil
}

// DecodeJob decodes and validates a job received on subject scan's jobs subject.
func DecodeJob(data []byte, scan string) (Job, error) {
	var j Job
	if err := decodeStrict(data, MaxJobBytes, &j); err != nil {
		return Job{}, err
	}
	if err := j.Validate(); err != nil {
		return Job{}, err
	}
	if j.Scan != scan {
		return Job{}, invalid("job for scan %q arrived on the subject of scan %q", j.Scan, scan)
	}
	return j, nil
}

// Validate checks every field of the job.
func (j *Job) Validate() error {
	switch {
	case j.Schema != SchemaVersion:
		return invalid("schema version %d, want %d", j.Schema, SchemaVersion)
	case !idPattern.MatchString(j.Scan):
		return invalid("bad scan id %.80q", j.Scan)
	case !idPattern.MatchString(j.ID):
		return invalid("bad job id %.80q", j.ID)
	}
	if err := validPath(j.Path); err != nil {
		return err
	}
	if _, ok := langOf(j.Lang); !ok {
		return invalid("unknown language %.20q", j.Lang)
	}
	if !hexPattern.MatchString(j.Blob) {
		return invalid("blob %.80q is not a lower-case hex SHA-256", j.Blob)
	}
	if j.Size < 0 || j.Size > MaxContentBytes {
		return invalid("content size %d out of range", j.Size)
	}
	if len(j.Packs) == 0 || len(j.Packs) > maxPacks {
		return invalid("%d packs, want 1 to %d", len(j.Packs), maxPacks)
	}
	seen := map[string]bool{}
	for _, p := range j.Packs {
		if !hexPattern.MatchString(p) || seen[p] {
			return invalid("pack digest %.80q is not a unique lower-case hex SHA-256", p)
		}
		seen[p] = true
	}
	if j.Engine == "" || len(j.Engine) > 64 {
		return invalid("bad engine version %.80q", j.Engine)
	}
	if j.ParseTimeout <= 0 || time.Duration(j.ParseTimeout) > maxParseTimeout {
		return invalid("parse timeout %s out of range", time.Duration(j.ParseTimeout))
	}
	if j.Encoding != "" && !source.ValidEncoding(j.Encoding) {
		return invalid("unknown encoding %.40q", j.Encoding)
	}
	return nil
}

// validPath accepts a clean relative slash path: no "..", no leading "/", no empty or "."
// elements, valid UTF-8. Results carry it into reports, so a path that could climb out of
// the scan root is refused.
func validPath(p string) error {
	if len(p) == 0 || len(p) > maxPath || !utf8.ValidString(p) || !fs.ValidPath(p) || p == "." ||
		strings.ContainsRune(p, 0) {
		return invalid("path %.200q is not a clean relative slash path", p)
	}
	return nil
}

func langOf(s string) (source.Lang, bool) {
	for _, l := range source.Langs {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}

// options are the analysis options the job asks for.
func (j *Job) options() analyze.Options {
	return analyze.Options{ParseTimeout: time.Duration(j.ParseTimeout), Encoding: j.Encoding}
}

// file is the source.File the job stands for, with its content.
func (j *Job) file(raw []byte) source.File {
	lang, _ := langOf(j.Lang)
	return source.File{Path: j.Path, Lang: lang, Header: j.Header, SHA256: j.Blob, Raw: raw}
}

// DecodeResult decodes and validates the envelope of a result for scan.
func DecodeResult(data []byte, limit int, scan string) (Result, error) {
	var r Result
	if err := decodeStrict(data, limit, &r); err != nil {
		return Result{}, err
	}
	switch {
	case r.Schema != SchemaVersion:
		return Result{}, invalid("schema version %d, want %d", r.Schema, SchemaVersion)
	case r.Scan != scan:
		return Result{}, invalid("result for scan %.80q on the subject of scan %q", r.Scan, scan)
	case !idPattern.MatchString(r.Job):
		return Result{}, invalid("bad job id %.80q", r.Job)
	case len(r.Worker) > 256:
		return Result{}, invalid("worker name of %d bytes", len(r.Worker))
	}
	return r, r.Payload.validate()
}

func (p *Payload) validate() error {
	switch {
	case (len(p.Inline) == 0) == (p.Blob == ""):
		return invalid("a payload holds either an inline result or a blob, exactly one")
	case p.Blob != "" && !hexPattern.MatchString(p.Blob):
		return invalid("result blob %.80q is not a lower-case hex SHA-256", p.Blob)
	}
	return nil
}

// checkFileResult decodes a result and checks that it is about the file it should be: a
// worker cannot report on another file, or give a file another hash.
func checkFileResult(data []byte, escaped bool, path, sha string) (finding.FileResult, error) {
	if len(data) > MaxResultBytes {
		return finding.FileResult{}, invalid("result of %d bytes", len(data))
	}
	fr, err := decodeFileResult(data, escaped)
	if err != nil {
		return finding.FileResult{}, invalid("result is not a file result: %v", err)
	}
	if fr.Artifact.Path != path || fr.Artifact.SHA256 != sha {
		return finding.FileResult{}, invalid("result names %.200q (%.64s), want %.200q (%s)", fr.Artifact.Path, fr.Artifact.SHA256, path, sha)
	}
	for _, f := range fr.Findings {
		if f.Location.Path != path {
			return finding.FileResult{}, invalid("finding in %.200q in the result for %.200q", f.Location.Path, path)
		}
	}
	for _, n := range fr.Notifications {
		if n.Path != path {
			return finding.FileResult{}, invalid("notification about %.200q in the result for %.200q", n.Path, path)
		}
	}
	return fr, nil
}
