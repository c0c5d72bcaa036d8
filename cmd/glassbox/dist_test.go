package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"glassbox/workers/broker"
	"glassbox/workers/dist"
)

func TestDistributedUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.creds")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scan", ".", "--listen", "0.0.0.0:4222"}, "--listen 0.0.0.0:4222: anyone who reaches this address could read the source"},
		{[]string{"scan", ".", "--listen", ":4222"}, "give --listen-token"},
		{[]string{"scan", ".", "--nats-token", "t"}, "--nats-* options are for --nats"},
		{[]string{"scan", ".", "--listen-token", "t"}, "configure --listen; give --listen too"},
		{[]string{"scan", ".", "--nats", "nats://127.0.0.1:1", "--listen", "127.0.0.1:0"}, "--listen configures the embedded server"},
		{[]string{"scan", ".", "--redeliver-after", "0s"}, "--redeliver-after: want a positive duration"},
		{[]string{"scan", ".", "--max-attempts", "0"}, "--max-attempts: want at least 1"},
		{[]string{"scan", ".", "--workers", "-1"}, "--workers: want a positive number"},
		{[]string{"scan", ".", "--workers", "0"}, "--workers 0 leaves the embedded server without workers"},
		{[]string{"scan", ".", "--nats", "nats://127.0.0.1:1", "--nats-creds", missing}, "no such file"},
		{[]string{"scan", ".", "--nats", "nats://127.0.0.1:1", "--nats-password", "p"}, "a password needs a user"},
		{[]string{"worker"}, "--nats URL is required"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--nats-token", "t", "--nats-user", "u"}, "not several"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "--concurrency", "-2"}, "--concurrency: want a positive number"},
		{[]string{"worker", "--nats", "nats://127.0.0.1:1", "stray"}, `unexpected argument "stray"`},
	}
	for _, tc := range tests {
		code, _, stderr := runCLI(tc.args...)
		if code != exitError || !strings.Contains(stderr, tc.want) {
			t.Errorf("glassbox %v: exit %d, stderr %q, want exit 2 with %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want []string }{
		{[]string{".", "--nats-token", "s3cret", "-o", "x"}, []string{".", "--nats-token", "REDACTED", "-o", "x"}},
		{[]string{"--nats-password=pw", "--nats-user", "bob"}, []string{"--nats-password=REDACTED", "--nats-user", "bob"}},
		{[]string{"-listen-token", "t", "--listen-password=p"}, []string{"-listen-token", "REDACTED", "--listen-password=REDACTED"}},
		{[]string{"--nats-token"}, []string{"--nats-token"}},
		{[]string{"--nats-tokens", "x"}, []string{"--nats-tokens", "x"}},
	}
	for _, tc := range tests {
		if got := redact(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// normalized is a SARIF log without what legitimately differs between two runs of one scan:
// the timestamps and the command line.
func normalized(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, run := range doc["runs"].([]any) {
		for _, inv := range run.(map[string]any)["invocations"].([]any) {
			for _, k := range []string{"startTimeUtc", "endTimeUtc", "commandLine", "arguments"} {
				delete(inv.(map[string]any), k)
			}
		}
	}
	out, _ := json.MarshalIndent(doc, "", " ")
	return string(out)
}

// corpusDir writes n C files of about size bytes each, with findings in every one.
func corpusDir(t *testing.T, n, size int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		var b strings.Builder
		for j := 0; b.Len() < size; j++ {
			b.WriteString("int fn_" + strconv.Itoa(i) + "_" + strconv.Itoa(j) + "(int s, char *buf, int n) {\n")
			b.WriteString("  const char *u = \"https://svc" + strconv.Itoa(j%9) + ".vendor-cloud.net/v1/upload\";\n")
			b.WriteString("  if (n > 3) { send(s, buf, n, 0); } else { recv(s, buf, n, 0); }\n")
			b.WriteString("  return connect(s, 0, 0) + helper_" + strconv.Itoa(j) + "(buf, n);\n}\n")
		}
		sub := filepath.Join(dir, "mod"+strconv.Itoa(i%5))
		os.MkdirAll(sub, 0o755)
		if err := os.WriteFile(filepath.Join(sub, "file"+strconv.Itoa(i)+".c"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestScanWorkersAndCache runs `glassbox scan` on its embedded server with one worker,
// with four, and again with a warm cache (a new server on the same store): the SARIF is
// the same, and the warm scan takes every file from the cache.
func TestScanWorkersAndCache(t *testing.T) {
	dir := corpusDir(t, 12, 4000)
	out, cache := t.TempDir(), t.TempDir()
	var reports []string
	for i, args := range [][]string{
		{"--workers", "1", "--no-cache"},
		{"--workers", "4", "--cache-dir", cache},
		{"-j", "2", "--cache-dir", cache},
	} {
		sarif := filepath.Join(out, strconv.Itoa(i)+".sarif")
		code, _, stderr := runCLI(append([]string{"scan", dir, "-o", sarif, "--fail-on", "none"}, args...)...)
		if code != exitClean {
			t.Fatalf("scan %v: exit %d: %s", args, code, stderr)
		}
		cached := strings.Contains(stderr, "12 of 12 file(s) from the result cache")
		if cached != (i == 2) {
			t.Errorf("scan %v: stderr %q: want every file from the cache on the third scan only", args, stderr)
		}
		reports = append(reports, normalized(t, sarif))
	}
	for i := 1; i < len(reports); i++ {
		if reports[i] != reports[0] {
			t.Errorf("report %d differs from the one-worker report", i)
		}
	}
	if _, err := os.Stat(filepath.Join(cache, "jetstream")); err != nil {
		t.Errorf("--cache-dir holds no store: %v", err)
	}
}

// syncBuffer is a bytes.Buffer a test can read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestListenLetsWorkersJoin runs a scan whose embedded server listens on loopback with a
// token and has no worker of its own: a worker without the token is refused, one with it
// does the whole scan.
func TestListenLetsWorkersJoin(t *testing.T) {
	dir := corpusDir(t, 6, 2000)
	sarif := filepath.Join(t.TempDir(), "out.sarif")
	t.Setenv(envListenToken, "join-me")
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		var stdout bytes.Buffer
		done <- run([]string{"scan", dir, "-o", sarif, "--fail-on", "none", "--no-cache", "--workers", "0", "--listen", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	hint := regexp.MustCompile(`glassbox worker --nats (nats://\S+) --nats-token TOKEN`)
	var url string
	waitFor(t, "the join hint", 20*time.Second, func() bool {
		if m := hint.FindStringSubmatch(stderr.String()); m != nil {
			url = m[1]
			return true
		}
		return false
	})
	if strings.Contains(stderr.String(), "join-me") {
		t.Error("the token was printed")
	}
	if nc, err := broker.Dial(url, broker.ClientOptions{}, "intruder", nats.NoReconnect()); err == nil {
		nc.Close()
		t.Fatal("a worker without the token connected")
	} else if !strings.Contains(strings.ToLower(err.Error()), "authorization") {
		t.Errorf("refusal: %v", err)
	}
	nc, err := broker.Dial(url, broker.ClientOptions{Token: "join-me"}, "joiner")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	w := &dist.Worker{JS: js, Concurrency: 2, Name: "joiner"}
	go func() { stopped <- w.Run(ctx) }()
	select {
	case code := <-done:
		if code != exitClean {
			t.Fatalf("scan exit %d: %s", code, stderr.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("the scan did not finish with the outside worker")
	}
	cancel()
	<-stopped
	if w.Jobs() != 6 {
		t.Errorf("outside worker did %d jobs, want all 6", w.Jobs())
	}
	if data, _ := os.ReadFile(sarif); !bytes.Contains(data, []byte("egress/send")) || bytes.Contains(data, []byte("join-me")) {
		t.Error("report lacks findings or holds the token")
	}
}
