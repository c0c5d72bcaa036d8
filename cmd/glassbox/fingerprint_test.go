package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"glassbox/analyzers/finding"
)

// TestFingerprintsSurviveEdits scans the telemetry and remote-command samples, then the same
// files with lines inserted at the top and inside a function above its sources, and checks
// that every result keeps its partial fingerprint: code scanning matches alerts across
// commits by them.
func TestFingerprintsSurviveEdits(t *testing.T) {
	samples := []string{"telemetry/telemetry.c", "remote-command/implant.c", "remote-command/implant.go"}
	before, after := t.TempDir(), t.TempDir()
	for _, s := range samples {
		src, err := os.ReadFile(filepath.Join("../../testdata/packs", s))
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(s)
		edited := strings.Replace("// inserted\n// lines\n\n"+string(src), "{\n", "{\n\n\n", 1) // inside the first body
		for dir, text := range map[string]string{before: string(src), after: edited} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	prints := func(dir string) []string {
		out := filepath.Join(t.TempDir(), "out.sarif")
		if code, _, stderr := runCLI("scan", dir, "-o", out, "--fail-on", "none", "--quiet", "--no-cache"); code != exitClean {
			t.Fatalf("scan %s: exit %d: %s", dir, code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID       string            `json:"ruleId"`
					Fingerprints map[string]string `json:"partialFingerprints"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(data, &log); err != nil {
			t.Fatal(err)
		}
		var fps []string
		for _, r := range log.Runs[0].Results {
			fps = append(fps, r.RuleID+" "+r.Fingerprints[finding.FingerprintVersion])
		}
		slices.Sort(fps)
		return fps
	}
	b, a := prints(before), prints(after)
	taint := 0
	for _, fp := range b {
		if !strings.HasPrefix(fp, "egress/") {
			taint++
		}
	}
	if taint < 10 {
		t.Fatalf("only %d taint results: the samples no longer exercise the test", taint)
	}
	if !slices.Equal(a, b) {
		for _, fp := range b {
			if !slices.Contains(a, fp) {
				t.Errorf("fingerprint lost after the edit: %s", fp)
			}
		}
	}
}
