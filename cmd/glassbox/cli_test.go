package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"glassbox/analyzers/finding"
)

func TestExitCode(t *testing.T) {
	tests := []struct {
		levels []finding.Level
		failOn string
		want   int
	}{
		{nil, "error", exitClean},
		{[]finding.Level{finding.Note, finding.Warning}, "error", exitClean},
		{[]finding.Level{finding.Note, finding.Error}, "error", exitFindings},
		{[]finding.Level{finding.Warning}, "warning", exitFindings},
		{[]finding.Level{finding.Note}, "warning", exitClean},
		{[]finding.Level{finding.Note}, "note", exitFindings},
		{[]finding.Level{finding.Error}, "none", exitClean},
	}
	for _, tc := range tests {
		if got := exitCode(tc.levels, tc.failOn); got != tc.want {
			t.Errorf("exitCode(%v, %q) = %d, want %d", tc.levels, tc.failOn, got, tc.want)
		}
	}
}

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func sample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := "void f(int s, const char *b) {\n  send(s, b, 4, 0);\n  connect(s, 0, 0);\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "agent.c"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestScanFormatsAndExitCodes(t *testing.T) {
	dir := sample(t)
	code, out, stderr := runCLI("scan", dir, "--format", "text")
	if code != exitClean {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if !strings.Contains(out, "agent.c:2:3: note: Call to send sends data over the network. [egress/send]") {
		t.Errorf("text output:\n%s", out)
	}
	if code, _, _ := runCLI("scan", dir, "--fail-on", "note", "--quiet"); code != exitFindings {
		t.Errorf("--fail-on note: exit %d, want %d", code, exitFindings)
	}
	code, out, _ = runCLI("scan", "--format", "json", dir)
	var doc struct {
		Findings []struct {
			RuleID      string `json:"ruleId"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitClean || len(doc.Findings) != 2 || doc.Findings[0].Fingerprint == "" {
		t.Errorf("json output (exit %d, err %v): %s", code, err, out)
	}
	sarifPath := filepath.Join(t.TempDir(), "out.sarif")
	if code, _, stderr := runCLI("scan", dir, "-o", sarifPath); code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(sarifPath)
	if err != nil || !bytes.Contains(data, []byte(`"version": "2.1.0"`)) {
		t.Errorf("-o wrote no SARIF (err %v)", err)
	}
}

// TestBadPackStopsBeforeScanning proves a bad pack exits 2 with file:line before any file is
// read: the scan root does not even exist.
func TestBadPackStopsBeforeScanning(t *testing.T) {
	pack := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(pack, []byte("pack: bad\nversion: 1.0.0\nrules:\n  - id: bad/x\n    nmae: x\n"), 0o644)
	code, _, stderr := runCLI("scan", "/nonexistent/root", "--rules", pack)
	if code != exitError || !strings.Contains(stderr, pack+`:5: rule "bad/x": unknown field "nmae" (did you mean "name"?)`) {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if strings.Contains(stderr, "/nonexistent/root") {
		t.Error("the scan root was looked at before the pack was validated")
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"scan"}, "want exactly one PATH"},
		{[]string{"scan", ".", "--format", "xml"}, "--format: want sarif, text or json"},
		{[]string{"scan", ".", "--fail-on", "critical"}, "--fail-on: want error, warning, note or none"},
		{[]string{"scan", ".", "--encoding", "ebcdic"}, "--encoding: unknown code page"},
		{[]string{"scan", ".", "--max-file-size", "lots"}, "want a byte count"},
		{[]string{"scan", "/does/not/exist"}, "no such file or directory"},
		{[]string{"scan", ".", "--pack", "nope"}, `no pack named "nope"`},
		{[]string{"scan", ".", "--go-types", "maybe"}, "--go-types: want auto or off"},
		{[]string{"rules", "show", "egress/nope"}, `no rule "egress/nope"`},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("glassbox %v: exit %d, stderr %q, want exit 2 with %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestRulesCommands(t *testing.T) {
	code, out, _ := runCLI("rules", "list")
	if code != exitClean || !strings.Contains(out, "egress/hardcoded-url") {
		t.Errorf("rules list: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("rules", "show", "egress/send")
	if code != exitClean || !strings.Contains(out, "T1041 Exfiltration Over C2 Channel") || !strings.Contains(out, "calls:") {
		t.Errorf("rules show: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI("version")
	if code != exitClean || !strings.HasPrefix(out, "glassbox "+version) {
		t.Errorf("version: %q", out)
	}
}

func TestRulesTest(t *testing.T) {
	dir := t.TempDir()
	good := "void f(int s) {\n  send(s, 0, 0, 0); // want \"egress/send\"\n}\n"
	os.WriteFile(filepath.Join(dir, "good.c"), []byte(good), 0o644)
	code, out, stderr := runCLI("rules", "test", dir, "--pack", "egress")
	if code != exitClean || !strings.Contains(out, "egress/send") {
		t.Fatalf("rules test: exit %d\n%s\n%s", code, out, stderr)
	}
	bad := "void f(int s) {\n  send(s, 0, 0, 0);\n  recv(s, 0, 0, 0); // want \"egress/send\"\n}\n"
	os.WriteFile(filepath.Join(dir, "bad.c"), []byte(bad), 0o644)
	code, out, _ = runCLI("rules", "test", dir, "--pack", "egress")
	if code != exitFindings || !strings.Contains(out, `bad.c:2: unexpected "egress/send"`) || !strings.Contains(out, `bad.c:3: missing "egress/send"`) {
		t.Errorf("rules test on a failing sample: exit %d\n%s", code, out)
	}
}

func TestParseSize(t *testing.T) {
	tests := map[string]int64{"4194304": 4 << 20, "4MiB": 4 << 20, "512KiB": 512 << 10, "2M": 2 << 20, "1GiB": 1 << 30}
	for in, want := range tests {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "0", "4TB", "x"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}
