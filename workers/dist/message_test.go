package dist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/report"
	"glassbox/report/sarif"
)

func validJob() Job {
	return Job{Schema: SchemaVersion, Scan: "0123456789abcdef", ID: "17", Path: "src/net/agent.c", Lang: "c",
		Blob: strings.Repeat("ab", 32), Size: 120, Packs: []string{strings.Repeat("cd", 32)},
		Engine: analyze.EngineVersion, ParseTimeout: int64(10 * time.Second)}
}

func TestJobValidation(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Job)
	}{
		{"schema", func(j *Job) { j.Schema = 2 }},
		{"scan id", func(j *Job) { j.Scan = "a.b" }},
		{"empty job id", func(j *Job) { j.ID = "" }},
		{"absolute path", func(j *Job) { j.Path = "/etc/passwd" }},
		{"dot-dot", func(j *Job) { j.Path = "src/../../x.c" }},
		{"dot", func(j *Job) { j.Path = "." }},
		{"empty element", func(j *Job) { j.Path = "src//x.c" }},
		{"invalid UTF-8", func(j *Job) { j.Path = "src/\xff.c" }},
		{"language", func(j *Job) { j.Lang = "rust" }},
		{"upper-case hash", func(j *Job) { j.Blob = strings.ToUpper(j.Blob) }},
		{"short hash", func(j *Job) { j.Blob = "abc" }},
		{"negative size", func(j *Job) { j.Size = -1 }},
		{"huge size", func(j *Job) { j.Size = MaxContentBytes + 1 }},
		{"no packs", func(j *Job) { j.Packs = nil }},
		{"repeated pack", func(j *Job) { j.Packs = append(j.Packs, j.Packs[0]) }},
		{"engine", func(j *Job) { j.Engine = "" }},
		{"parse timeout", func(j *Job) { j.ParseTimeout = 0 }},
		{"encoding", func(j *Job) { j.Encoding = "ebcdic" }},
	}
	good := validJob()
	if err := good.Validate(); err != nil {
		t.Fatalf("valid job rejected: %v", err)
	}
	for _, tc := range tests {
		j := validJob()
		tc.mutate(&j)
		if err := j.Validate(); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("%s: err %v, want ErrInvalidMessage", tc.name, err)
		}
	}
}

func TestDecodeJob(t *testing.T) {
	good, _ := json.Marshal(validJob())
	if _, err := DecodeJob(good, "0123456789abcdef"); err != nil {
		t.Fatalf("good job: %v", err)
	}
	tests := map[string][]byte{
		"other scan's subject": good,
		"unknown field":        bytes.Replace(good, []byte(`{`), []byte(`{"content":"int x;",`), 1),
		"trailing data":        append(append([]byte{}, good...), []byte(` {}`)...),
		"too large":            append(append([]byte{}, good...), bytes.Repeat([]byte(" "), MaxJobBytes)...),
		"not JSON":             []byte("int main() {}"),
	}
	for name, data := range tests {
		scan := "0123456789abcdef"
		if name == "other scan's subject" {
			scan = "fedcba9876543210"
		}
		if _, err := DecodeJob(data, scan); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("%s: err %v, want ErrInvalidMessage", name, err)
		}
	}
}

// TestResultChecks refuses results that describe another file than their job's.
func TestResultChecks(t *testing.T) {
	sha := strings.Repeat("ab", 32)
	ok := finding.FileResult{Artifact: finding.Artifact{Path: "a.c", SHA256: sha},
		Findings:      []finding.Finding{{RuleID: "r", Location: finding.Location{Path: "a.c"}}},
		Notifications: []finding.Notification{{ID: "n", Path: "a.c"}}}
	tests := map[string]func(*finding.FileResult){
		"other path":                 func(r *finding.FileResult) { r.Artifact.Path = "b.c" },
		"other hash":                 func(r *finding.FileResult) { r.Artifact.SHA256 = strings.Repeat("cd", 32) },
		"finding in another file":    func(r *finding.FileResult) { r.Findings[0].Location.Path = "../b.c" },
		"notification about another": func(r *finding.FileResult) { r.Notifications[0].Path = "b.c" },
	}
	data, _ := json.Marshal(ok)
	if _, err := checkFileResult(data, false, "a.c", sha); err != nil {
		t.Fatalf("good result: %v", err)
	}
	for name, mutate := range tests {
		r := ok
		r.Findings = append([]finding.Finding{}, ok.Findings...)
		r.Notifications = append([]finding.Notification{}, ok.Notifications...)
		mutate(&r)
		data, _ := json.Marshal(r)
		if _, err := checkFileResult(data, false, "a.c", sha); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("%s: err %v, want ErrInvalidMessage", name, err)
		}
	}
	for name, p := range map[string]Payload{"empty": {}, "both": {Inline: []byte("{}"), Blob: sha}, "bad blob": {Blob: "x"}} {
		if err := p.validate(); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("payload %s: err %v", name, err)
		}
	}
}

// TestRoundTripKeepsReports sends results whose properties hold every kind of value a
// finding may carry through the message encoding: the SARIF written from what arrives is the
// SARIF written from what was sent, byte for byte.
func TestRoundTripKeepsReports(t *testing.T) {
	ctx := &finding.Region{StartLine: 1, StartColumn: 1, EndLine: 3, EndColumn: 2, Snippet: "void f() {\n  send(s, \"отчёт\", 5, 0);\n}"}
	sent := finding.FileResult{
		Artifact: finding.Artifact{Path: "src/a.c", Lang: "c", Length: 42, SHA256: strings.Repeat("ab", 32), Encoding: "windows-1251"},
		Findings: []finding.Finding{{
			RuleID: "egress/send", Message: "Call to send sends data over the network.",
			Location: finding.Location{Path: "src/a.c", Region: finding.Region{StartLine: 2, StartColumn: 3, EndLine: 2, EndColumn: 25, Snippet: "send(s, \"отчёт\", 5, 0)"}, Context: ctx, Function: "f"},
			Properties: map[string]any{
				"api": "send", "port": 8443, "ratio": 0.25, "big": int64(1) << 40, "tls": true,
				"hosts": []string{"a.example", "b.example"}, "none": []string(nil), "emptyMap": map[string]string(nil),
				"nested": map[string]any{"k": []int{1, 2}}, "nilPtr": (*int)(nil), "nilAny": nil,
			},
			Flow:    []finding.Step{{Location: finding.Location{Path: "src/a.c", Region: finding.Region{StartLine: 1, StartColumn: 1, EndLine: 1, EndColumn: 4}}, Message: "source"}},
			Related: []finding.Step{{Location: finding.Location{Path: "src/a.c", Region: finding.Region{StartLine: 3, StartColumn: 1, EndLine: 3, EndColumn: 2}}, Message: "here"}},
			Key:     "send(s, \"отчёт\", 5, 0)",
		}},
		Notifications: []finding.Notification{{ID: finding.NoteEncoding, Level: finding.Note, Path: "src/a.c", Message: "decoded from windows-1251"}},
	}
	data, escaped, err := encodeFileResult(sent)
	if err != nil {
		t.Fatal(err)
	}
	got, err := checkFileResult(data, escaped, "src/a.c", sent.Artifact.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	set := builtinSet(t)
	render := func(fr finding.FileResult) []byte {
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		var buf bytes.Buffer
		err := (sarif.Writer{}).Write(&buf, &report.Scan{Tool: report.Tool{Name: "glassbox", Version: "0.0.0"}, Rules: set, RootDir: "/src",
			Files: []finding.Artifact{fr.Artifact}, Findings: fr.Findings, Notifications: fr.Notifications,
			Invocation: report.Invocation{Start: at, End: at, Successful: true}})
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	want, have := render(sent), render(got)
	if !bytes.Equal(have, want) {
		t.Errorf("SARIF changed in the round trip:\n%s", firstDiff(have, want))
	}
	if sent.Findings[0].Properties["none"] != nil && sent.Findings[0].Properties["none"].([]string) != nil {
		t.Error("encoding modified the sender's result")
	}
	if !bytes.Contains(want, []byte(`"none": []`)) || !bytes.Contains(want, []byte(`"port": 8443`)) {
		t.Errorf("test does not exercise what it claims:\n%s", want)
	}
}

// TestWarnIdle warns once while jobs wait with no worker pulling, and again only after
// workers came and went.
func TestWarnIdle(t *testing.T) {
	logs := &logBuffer{}
	s := &scanRun{log: logs.logger()}
	steps := []struct {
		pending, inFlight, waiting int
		want                       int // warnings logged so far
	}{
		{5, 0, 0, 1}, {5, 0, 0, 1}, {4, 1, 0, 1}, {4, 0, 2, 1}, {0, 0, 0, 1}, {3, 0, 0, 2},
	}
	warned := false
	for i, st := range steps {
		warned = s.warnIdle(&jetstream.ConsumerInfo{NumPending: uint64(st.pending), NumAckPending: st.inFlight, NumWaiting: st.waiting}, warned)
		if n := strings.Count(logs.String(), "no worker is taking them"); n != st.want {
			t.Errorf("step %d: %d warnings, want %d", i, n, st.want)
		}
	}
}

// TestRoundTripKeepsBytes sends strings that are not UTF-8 (a C literal's bytes) and one
// that looks like an escaped string: all come back byte for byte, wherever they are, and
// the sender's result is not modified.
func TestRoundTripKeepsBytes(t *testing.T) {
	raw := "\xEB\xFE\x90\x90"
	tricky := escapeMark + "6869"
	sent := finding.FileResult{
		Artifact: finding.Artifact{Path: "a.c", SHA256: strings.Repeat("ab", 32)},
		Findings: []finding.Finding{{RuleID: "r", Message: "compares with " + raw, Key: raw,
			Location:   finding.Location{Path: "a.c", Region: finding.Region{Snippet: raw}},
			Properties: map[string]any{"magic": raw, "list": []string{"ok", raw}, raw: tricky, "any": []any{raw, 1}},
			Flow:       []finding.Step{{Message: tricky}}}},
		Notifications: []finding.Notification{{ID: "n", Path: "a.c", Level: finding.Level(raw)}},
	}
	keep := sent.Findings[0].Properties["list"].([]string)
	data, escaped, err := encodeFileResult(sent)
	if err != nil || !escaped {
		t.Fatalf("escaped=%v err=%v", escaped, err)
	}
	if keep[1] != raw || sent.Findings[0].Key != raw {
		t.Fatal("encoding modified the sender's result")
	}
	got, err := checkFileResult(data, escaped, "a.c", sent.Artifact.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	f := got.Findings[0]
	checks := map[string][2]string{
		"key":          {f.Key, raw},
		"message":      {f.Message, "compares with " + raw},
		"snippet":      {f.Location.Region.Snippet, raw},
		"property":     {f.Properties["magic"].(string), raw},
		"list element": {f.Properties["list"].([]any)[1].(string), raw},
		"map key":      {fmt.Sprint(f.Properties[raw]), tricky},
		"any element":  {f.Properties["any"].([]any)[0].(string), raw},
		"lookalike":    {f.Flow[0].Message, tricky},
		"named type":   {string(got.Notifications[0].Level), raw},
	}
	for what, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s: got %q, want %q", what, c[0], c[1])
		}
	}
	plain := finding.FileResult{Artifact: finding.Artifact{Path: "a.c"}, Findings: []finding.Finding{{Message: "plain ünïcode"}}}
	if _, escaped, _ := encodeFileResult(plain); escaped {
		t.Error("a result of plain UTF-8 was escaped")
	}
}
