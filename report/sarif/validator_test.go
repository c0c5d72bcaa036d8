package sarif

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// validatorScript is the reference validator CI runs (Microsoft's SARIF Multitool with
// GitHub's ingestion rules).
const validatorScript = "../../../shared/tools/validate-sarif"

// knownWarnings are Multitool warnings the writer leaves on purpose; there are none, so any
// warning is a regression.
var knownWarnings [][]string

// multitool returns the Multitool binary the script would use, or "" when it is not
// installed: the test must not trigger an npm install.
func multitool() string {
	dir := os.Getenv("SARIF_TOOL_DIR")
	if dir == "" {
		cache := os.Getenv("XDG_CACHE_HOME")
		if cache == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return ""
			}
			cache = filepath.Join(home, ".cache")
		}
		dir = filepath.Join(cache, "sarif-multitool")
	}
	bin := filepath.Join(dir, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool")
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o100 == 0 {
		return ""
	}
	return bin
}

// TestReferenceValidator runs the reference validator on the writer's output when it is
// available. CI runs it separately too; this catches regressions before a push.
func TestReferenceValidator(t *testing.T) {
	if _, err := os.Stat(validatorScript); err != nil {
		t.Logf("not running the reference validator: %s not found", validatorScript)
		return
	}
	for _, tool := range []string{"bash", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Logf("not running the reference validator: %s is not on PATH", tool)
			return
		}
	}
	if multitool() == "" {
		t.Logf("not running the reference validator: the SARIF Multitool is not installed (run %s once to install it)", validatorScript)
		return
	}

	dir := t.TempDir()
	var files []string
	for _, tt := range testScans {
		f := filepath.Join(dir, tt.name+".sarif")
		if err := os.WriteFile(f, write(t, tt.scan(t)), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	// The Multitool silently skips a log it cannot deserialize and reports no problem with
	// it. A canary with a broken ruleIndex, in every other way our output, must fail: if
	// it passes, the validator did not read our format and its verdict means nothing.
	canary := filepath.Join(dir, "canary.sarif")
	if err := os.WriteFile(canary, breakRuleIndex(t, write(t, realisticScan(t))), 0o644); err != nil {
		t.Fatal(err)
	}

	// One run for all files: the Multitool takes seconds to start. The script prints each
	// file's problems, then the file's summary line.
	out, err := exec.Command(validatorScript, append(files, canary)...).CombinedOutput()
	t.Logf("%s", out)
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("validate-sarif: %v", err)
	}
	summary := regexp.MustCompile(`^(\S+): (\d+) errors, (\d+) warnings`)
	var problems []string
	seen := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := summary.FindStringSubmatch(line)
		if m == nil {
			if strings.HasPrefix(line, "error ") || strings.HasPrefix(line, "warning ") {
				problems = append(problems, line)
			}
			continue
		}
		seen++
		if m[1] == canary {
			if m[2] == "0" || !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "SARIF1009") }) {
				t.Errorf("the validator accepted a log with a broken ruleIndex, so it is not reading our output")
			}
		} else {
			for _, p := range problems {
				if strings.HasPrefix(p, "error ") || !known(p) {
					t.Errorf("%s: %s", filepath.Base(m[1]), p)
				}
			}
		}
		problems = nil
	}
	if seen != len(files)+1 {
		t.Errorf("validate-sarif summarised %d files, want %d", seen, len(files)+1)
	}
}

func known(line string) bool {
	for _, w := range knownWarnings {
		if strings.Contains(line, w[0]) && strings.Contains(line, w[1]) {
			return true
		}
	}
	return false
}

// breakRuleIndex points the first result of a log at a rule that does not exist.
func breakRuleIndex(t *testing.T, b []byte) []byte {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	run := v["runs"].([]any)[0].(map[string]any)
	run["results"].([]any)[0].(map[string]any)["ruleIndex"] = 999
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
