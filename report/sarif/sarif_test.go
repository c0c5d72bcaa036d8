package sarif

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"glassbox/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

// write renders s and fails the test on error.
func write(t *testing.T, s *report.Scan) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := (Writer{}).Write(&buf, s); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// timestamps matches the only values that may differ between two writes of one scan.
var timestamps = regexp.MustCompile(`("(?:start|end)TimeUtc": )"[^"]*"`)

// normalize replaces the invocation's times with a fixed one, so that golden files compare
// across runs of scans with real clocks. The replacement is a valid time on purpose: the
// SARIF Multitool silently skips a log it cannot deserialize (reporting no problems at all),
// so a placeholder like "TIMESTAMP" would make the golden files unvalidatable.
func normalize(b []byte) []byte {
	return timestamps.ReplaceAll(b, []byte(`$1"2000-01-01T00:00:00Z"`))
}

// TestGolden pins the output format: testdata/golden.sarif is the contract consumers rely on.
// Run `go test ./report/sarif -update` to rewrite it after an intended change, and review
// the diff.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		scan func(*testing.T) *report.Scan
		file string
	}{
		{"realistic", realisticScan, "golden.sarif"},
		{"empty", emptyScan, "empty.sarif"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalize(write(t, tt.scan(t)))
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (run with -update and review the diff):\n%s", path, firstDiff(got, want))
			}
		})
	}
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return "line " + itoa(i+1) + ":\n got: " + string(gl) + "\nwant: " + string(wl)
		}
	}
	return "(no line differs)"
}

func itoa(n int) string { return strconv.Itoa(n) }

// The types below decode just enough of a log to check its cross-references.

type logJSON struct {
	Runs []runJSON `json:"runs"`
}

type runJSON struct {
	Tool struct {
		Driver struct {
			Rules []struct {
				ID            string `json:"id"`
				Relationships []struct {
					Target struct {
						ID            string    `json:"id"`
						Index         int       `json:"index"`
						ToolComponent tcRefJSON `json:"toolComponent"`
					} `json:"target"`
					Kinds []string `json:"kinds"`
				} `json:"relationships"`
			} `json:"rules"`
			Notifications []struct {
				ID               string `json:"id"`
				ShortDescription struct {
					Text string `json:"text"`
				} `json:"shortDescription"`
			} `json:"notifications"`
			SupportedTaxonomies []tcRefJSON `json:"supportedTaxonomies"`
		} `json:"driver"`
	} `json:"tool"`
	Results    []resultJSON   `json:"results"`
	Artifacts  []artifactJSON `json:"artifacts"`
	Taxonomies []struct {
		Name string `json:"name"`
		GUID string `json:"guid"`
		Taxa []struct {
			ID string `json:"id"`
		} `json:"taxa"`
	} `json:"taxonomies"`
	Invocations []struct {
		ToolExecutionNotifications []struct {
			Descriptor struct {
				ID    string `json:"id"`
				Index int    `json:"index"`
			} `json:"descriptor"`
			Locations []locJSON `json:"locations"`
		} `json:"toolExecutionNotifications"`
	} `json:"invocations"`
}

type artifactJSON struct {
	Location struct {
		URI string `json:"uri"`
	} `json:"location"`
	Length int `json:"length"`
}

type tcRefJSON struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
	GUID  string `json:"guid"`
}

type resultJSON struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Locations           []locJSON         `json:"locations"`
	RelatedLocations    []locJSON         `json:"relatedLocations"`
	CodeFlows           []struct {
		ThreadFlows []struct {
			Locations []struct {
				Location locJSON `json:"location"`
			} `json:"locations"`
		} `json:"threadFlows"`
	} `json:"codeFlows"`
}

type locJSON struct {
	ID               int `json:"id"`
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI   string `json:"uri"`
			Index *int   `json:"index"`
		} `json:"artifactLocation"`
		Region *struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

// decode parses the one run of a log.
func decode(t *testing.T, b []byte) runJSON {
	t.Helper()
	var l logJSON
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if len(l.Runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(l.Runs))
	}
	return l.Runs[0]
}

// TestNoNulls walks every value of the output: go-sarif v2 writes null for required fields
// left unset, and consumers reject null where the schema wants an object or array.
func TestNoNulls(t *testing.T) {
	for _, tt := range testScans {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := json.Unmarshal(write(t, tt.scan(t)), &v); err != nil {
				t.Fatal(err)
			}
			walk(t, "$", v)
		})
	}
}

func walk(t *testing.T, path string, v any) {
	switch v := v.(type) {
	case nil:
		t.Errorf("%s is null", path)
	case map[string]any:
		for k, x := range v {
			walk(t, path+"."+k, x)
		}
	case []any:
		for i, x := range v {
			walk(t, path+"["+itoa(i)+"]", x)
		}
	}
}

// TestEmptyScan checks what an empty scan must still say: results is an empty array (GitHub
// reads a missing or null results as a broken upload), and no taxonomy is declared empty.
func TestEmptyScan(t *testing.T) {
	out := write(t, emptyScan(t))
	var l struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal(out, &l); err != nil {
		t.Fatal(err)
	}
	run := l.Runs[0]
	if got := string(run["results"]); got != "[]" {
		t.Errorf("results = %s, want []", got)
	}
	for _, key := range []string{"taxonomies", "artifacts", "versionControlProvenance"} {
		if _, ok := run[key]; ok {
			t.Errorf("empty scan has %s: %s", key, run[key])
		}
	}
	if !bytes.HasSuffix(out, []byte("}\n")) || bytes.HasSuffix(out, []byte("\n\n")) {
		t.Errorf("output does not end with exactly one newline")
	}
}
