package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestVetInvocation(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{[]string{"/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"-telemetry.rules=mine.yaml", "/tmp/vet.cfg"}, true},
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"./..."}, false},
		{[]string{"-telemetry.rules=mine.yaml", "./cmd/agent"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := vetInvocation(tt.args); got != tt.want {
			t.Errorf("vetInvocation(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// TestGoVet builds glassbox-vet and runs it under go vet on the testdata agent module: every
// planted behaviour is reported, in the package where the analysis could see both ends of
// the flow. The module has no dependencies outside the standard library, so it loads offline.
func TestGoVet(t *testing.T) {
	tool := filepath.Join(t.TempDir(), "glassbox-vet")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	vet := exec.Command("go", "vet", "-vettool="+tool, "./...")
	vet.Dir = filepath.Join("..", "..", "testdata", "gomod", "agent")
	vet.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off")
	out, err := vet.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet reported nothing:\n%s", out)
	}
	t.Logf("go vet -vettool=glassbox-vet ./...\n%s", out)
	for _, want := range []string{
		"cmd/agent/main.go:21:9: telemetry/host-identity-upload: Host name read by os.Hostname reaches the network (sent by net.Conn.Write) in Client.Send. (at transport.go:26)",
		"cmd/agent/main.go:21:9: telemetry/host-identity-upload: User name read by os/user.Current reaches the network",
		"cmd/agent/main.go:31:2: telemetry/file-content-upload: File contents read by os.ReadFile reaches the network (sent by net.Conn.Write) in Client.Send.",
		"cmd/agent/main.go:37:2: telemetry/host-identity-upload: Host name read by os.Hostname reaches the network (sent by net.Conn.Write) in heartbeat.",
		"cmd/agent/main.go:31:14: remote-command/dispatcher: Command dispatcher in Serve: a network connection opened by net.Dial is compared against 'exec', 'get', 'ping', 'rm', reaching file-deletion, process-execution.",
		"cmd/agent/main.go:31:14: remote-command/process-from-network: A network connection opened by net.Dial reaches process creation (run by os/exec.Command) in Serve. (at tasks.go:26)",
		"cmd/agent/main.go:31:14: remote-command/file-operation-from-network: A network connection opened by net.Dial chooses the file deleted by os.RemoveAll in Serve. (at tasks.go:34)",
		"cmd/agent/main.go:31:2: remote-collection/server-chosen-path: A network connection opened by net.Dial chooses the path opened by os.ReadFile in Serve, and what is read is then sent by net.Conn.Write.",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go vet output lacks %q", want)
		}
	}
	if n := strings.Count(string(out), ": telemetry/") + strings.Count(string(out), ": remote-"); n != 8 {
		t.Errorf("go vet reported %d findings, want 8", n)
	}
}
