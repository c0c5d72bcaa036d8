package gomod

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"glassbox/analyzers/finding"
	"glassbox/rules"
	"glassbox/workers/walk"
)

func ruleSet(t *testing.T) *rules.Set {
	t.Helper()
	packs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func open(t *testing.T, dir string) *walk.Root {
	t.Helper()
	root, err := walk.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAnalyzeAgent analyses the testdata agent module: every planted behaviour is found with
// types, at paths relative to the root, and every Go file of the module is covered.
func TestAnalyzeAgent(t *testing.T) {
	res, err := Analyze(context.Background(), open(t, "../../testdata/gomod/agent"), Options{Set: ruleSet(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Modules) != 1 || res.Modules[0].Reason != "" || res.Modules[0].Path != "example.com/agent" {
		t.Fatalf("modules: %+v", res.Modules)
	}
	got := map[string]bool{}
	for _, f := range res.Findings {
		got[f.RuleID+" "+f.Location.Path+":"+strconv.Itoa(f.Location.Region.StartLine)+" "+f.Location.Function] = true
	}
	for _, want := range []string{
		"telemetry/host-identity-upload internal/transport/transport.go:26 Client.Send",
		"telemetry/file-content-upload internal/transport/transport.go:26 Client.Send",
		"telemetry/host-identity-upload cmd/agent/main.go:37 heartbeat",
		"remote-command/dispatcher internal/tasks/tasks.go:25 Serve",
		"remote-command/process-from-network internal/tasks/tasks.go:26 Serve",
		"remote-command/file-operation-from-network internal/tasks/tasks.go:34 Serve",
		"remote-collection/server-chosen-path internal/tasks/tasks.go:29 Serve",
	} {
		if !got[want] {
			t.Errorf("missing %s; found %v", want, got)
		}
	}
	covered := res.Covered()
	for _, f := range []string{"cmd/agent/main.go", "internal/sysinfo/sysinfo.go", "internal/tasks/tasks.go", "internal/transport/transport.go"} {
		if !covered[f] {
			t.Errorf("%s not covered: %v", f, covered)
		}
	}
}

// TestFallback checks that a module that does not load is left to tree-sitter with a
// notification that says why, quickly and without touching the network or the tree, while
// a good module next to it is still analysed.
func TestFallback(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write(t, dir, map[string]string{
		"good/go.mod":       "module example.com/good\n\ngo 1.22\n",
		"good/main.go":      "package main\n\nimport (\n\t\"net\"\n\t\"os\"\n)\n\nfunc main() {\n\tc, _ := net.Dial(\"tcp\", \"x:1\")\n\th, _ := os.Hostname()\n\tc.Write([]byte(h))\n}\n",
		"syntax/go.mod":     "module example.com/syntax\n\ngo 1.22\n",
		"syntax/main.go":    "package main\n\nfunc main() {\n\tif {\n}\n",
		"types/go.mod":      "module example.com/types\n\ngo 1.22\n",
		"types/main.go":     "package main\n\nfunc main() {\n\tundefined()\n}\n",
		"missing/go.mod":    "module example.com/missing\n\ngo 1.22\n\nrequire github.com/gorilla/websocket v1.5.3\n",
		"missing/main.go":   "package main\n\nimport \"github.com/gorilla/websocket\"\n\nvar _ websocket.Conn\n\nfunc main() {}\n",
		"outside/go.mod":    "module example.com/outside\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => " + outside + "\n",
		"outside/main.go":   "package main\n\nfunc main() {}\n",
		"toolchain/go.mod":  "module example.com/toolchain\n\ngo 1.99\n",
		"toolchain/main.go": "package main\n\nfunc main() {}\n",
	})
	before, _ := os.ReadFile(filepath.Join(dir, "missing", "go.mod"))
	res, err := Analyze(context.Background(), open(t, dir), Options{Set: ruleSet(t)})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, m := range res.Modules {
		reasons[m.Dir] = m.Reason
	}
	tests := []struct{ dir, reason string }{
		{"good", ""},
		{"syntax", "does not load (main.go:"},
		{"types", "does not load (main.go:4:2: undefined: undefined"},
		{"missing", "does not load"},
		{"outside", "replace directive for example.com/lib leads outside the scan root"},
		{"toolchain", "go.mod requires go >= 1.99"},
	}
	for _, tt := range tests {
		r, ok := reasons[tt.dir]
		switch {
		case !ok:
			t.Errorf("%s: module not found", tt.dir)
		case tt.reason == "" && r != "":
			t.Errorf("%s: not analysed: %s", tt.dir, r)
		case tt.reason != "" && !strings.Contains(r, tt.reason):
			t.Errorf("%s: reason %q, want it to contain %q", tt.dir, r, tt.reason)
		}
	}
	notes := map[string]finding.Notification{}
	for _, n := range res.Notifications {
		notes[n.Path] = n
	}
	for _, tt := range tests[1:] {
		n, ok := notes[tt.dir+"/go.mod"]
		if !ok || n.ID != NoteFallback || !strings.Contains(n.Message, "was analysed without types") {
			t.Errorf("%s: notification %+v", tt.dir, n)
		}
	}
	if len(res.Findings) != 1 || res.Findings[0].Location.Path != "good/main.go" {
		t.Errorf("findings: %+v", res.Findings)
	}
	covered := res.Covered()
	if !covered["good/main.go"] || covered["syntax/main.go"] || covered["missing/main.go"] {
		t.Errorf("covered: %v", covered)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "missing", "go.mod"))
	if string(before) != string(after) {
		t.Errorf("go.mod was rewritten:\n%s", after)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing", "go.sum")); err == nil {
		t.Error("go.sum was written into the scanned tree")
	}
}

// TestSymlinkedModule checks that a module with a symbolic link is not handed to the go
// command, which would follow it out of the root.
func TestSymlinkedModule(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"m/go.mod": "module example.com/m\n\ngo 1.22\n", "m/main.go": "package main\n\nfunc main() {}\n"})
	if err := os.Symlink("/etc", filepath.Join(dir, "m", "etc")); err != nil {
		t.Fatal(err)
	}
	res, err := Analyze(context.Background(), open(t, dir), Options{Set: ruleSet(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Modules) != 1 || !strings.Contains(res.Modules[0].Reason, "symbolic links") {
		t.Errorf("modules: %+v", res.Modules)
	}
}

// TestRelocateEveryStep: a typed finding's every location becomes relative to the scan
// root, those of its further paths (merged results) included: an absolute URI is invalid
// SARIF.
func TestRelocateEveryStep(t *testing.T) {
	root := filepath.FromSlash("/scan/root")
	at := func(p string) finding.Location { return finding.Location{Path: filepath.Join(root, p)} }
	f := finding.Finding{Location: at("a/main.go"),
		Flow:    []finding.Step{{Location: at("a/main.go")}},
		Paths:   [][]finding.Step{{{Location: at("b/b.go")}, {Location: at("a/main.go")}}},
		Related: []finding.Step{{Location: at("b/b.go")}}}
	if !relocate(&f, root) {
		t.Fatal("relocate refused a finding under the root")
	}
	for _, st := range append(f.Steps(), finding.Step{Location: f.Location}) {
		if filepath.IsAbs(st.Location.Path) || strings.HasPrefix(st.Location.Path, "/") {
			t.Errorf("step at %q is not relative to the root", st.Location.Path)
		}
	}
}

// TestTooLargeFallsBack: a module with a package larger than the typed analysis takes is
// read by the tree-sitter engine, and says why.
func TestTooLargeFallsBack(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"big/go.mod":  "module example.com/big\n\ngo 1.22\n",
		"big/main.go": "package main\n\nimport \"os\"\n\nfunc main() {\n\th, _ := os.Hostname()\n\tprintln(h)\n}\n",
	})
	for _, tt := range []struct {
		limit  int64
		reason string
	}{{512 << 10, ""}, {64, "its package example.com/big holds 78 bytes of Go, more than the typed analysis takes (64 bytes)"}} {
		res, err := Analyze(context.Background(), open(t, dir), Options{Set: ruleSet(t), MaxPackage: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Modules) != 1 || res.Modules[0].Reason != tt.reason {
			t.Errorf("limit %d: modules %+v, want reason %q", tt.limit, res.Modules, tt.reason)
		}
	}
}
