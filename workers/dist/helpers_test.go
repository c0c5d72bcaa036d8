package dist

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/text/encoding/charmap"

	"glassbox/analyzers/analyze"
	"glassbox/report"
	"glassbox/report/sarif"
	"glassbox/rules"
	"glassbox/workers/scan"
	"glassbox/workers/walk"
)

// newServer starts an embedded JetStream server in the nats-server test style, with no
// listener: clients connect in-process.
func newServer(t *testing.T) *server.Server {
	t.Helper()
	s, err := server.NewServer(&server.Options{Port: -1, DontListen: true, NoSigs: true, NoLog: true,
		JetStream: true, StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(s.Shutdown)
	return s
}

// connect opens an in-process JetStream client to s.
func connect(t *testing.T, s *server.Server) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect("", nats.InProcessServer(s))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// logBuffer collects a component's log for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(discard{}, nil)) }

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// startWorkers runs n workers of the given concurrency, each on its own connection, until
// the test ends. tweak, when not nil, adjusts each before it starts.
func startWorkers(t *testing.T, s *server.Server, n, concurrency int, tweak func(*Worker)) []*Worker {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var ws []*Worker
	for i := range n {
		w := &Worker{JS: connect(t, s), Concurrency: concurrency, Name: "test-worker-" + string(rune('a'+i)), Log: quiet()}
		if tweak != nil {
			tweak(w)
		}
		ws = append(ws, w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Run(ctx); err != nil {
				t.Errorf("worker %s: %v", w.Name, err)
			}
		}()
	}
	// Registered after connect's cleanups, so it runs before the connections close.
	t.Cleanup(func() { cancel(); wg.Wait() })
	return ws
}

func builtinSet(t *testing.T, extra ...*rules.Pack) *rules.Set {
	t.Helper()
	packs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet(append(packs, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// corpus is a small tree with every kind of file a result can come from: the egress samples
// (findings with endpoint properties), a C++ header, a legacy code page, an empty file, a
// binary, the same content at two paths, and n generated files.
func corpus(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	samples, err := filepath.Glob("../../testdata/packs/egress/*")
	if err != nil || len(samples) == 0 {
		t.Fatalf("no egress samples: %v", err)
	}
	for _, p := range samples {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, "samples/"+filepath.Base(p), data)
	}
	send := "void f(int s, const char *b) {\n  send(s, b, 4, 0);\n  connect(s, 0, 0);\n}\n"
	write(t, dir, "copy/a/agent.c", []byte(send))
	write(t, dir, "copy/b/agent.c", []byte(send))
	write(t, dir, "include/agent.h", []byte("#include <string>\nclass Agent {\n public:\n  void Upload(const std::string &url) { curl_easy_perform(h); }\n};\n"))
	cp1251, _ := charmap.Windows1251.NewEncoder().String("// Отправка отчёта\r\nvoid f(int s) {\r\n  send(s, \"отчёт\", 5, 0);\r\n}\r\n")
	write(t, dir, "legacy.c", []byte(cp1251))
	write(t, dir, "empty.c", nil)
	write(t, dir, "binary.c", []byte("\x7fELF\x02\x01\x01\x00send"))
	write(t, dir, "broken.c", []byte("void f(int s) {\n  send(s, 0, 0, 0);\n  if (x {\n}\n"))
	for i := range n {
		var b strings.Builder
		for j := range 30 {
			b.WriteString("int fn_" + itoa(i) + "_" + itoa(j) + "(int s, char *buf) {\n")
			b.WriteString("  const char *u = \"https://svc" + itoa(j%7) + ".example-corp.net/api\";\n")
			b.WriteString("  send(s, buf, 16, 0);\n  return recv(s, buf, 16, 0);\n}\n")
		}
		write(t, dir, "gen/m"+itoa(i%4)+"/file"+itoa(i)+".c", []byte(b.String()))
	}
	return dir
}

func itoa(i int) string { return strconv.Itoa(i) }

// scanWith scans dir with exec and renders the result as SARIF with a fixed invocation, so
// that equal scans give equal bytes.
func scanWith(t *testing.T, dir string, set *rules.Set, exec scan.Executor) []byte {
	t.Helper()
	root, err := walk.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := scan.Run(ctx, scan.Config{Root: root, Exec: exec})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rep := &report.Scan{Tool: report.Tool{Name: "glassbox", Version: "0.0.0-test"}, Rules: set, RootDir: root.Dir,
		Files: res.Files, Findings: res.Findings, Notifications: res.Notifications,
		Invocation: report.Invocation{CommandLine: "glassbox scan", Arguments: []string{"scan"}, Start: at, End: at, Successful: true}}
	var buf bytes.Buffer
	if err := (sarif.Writer{}).Write(&buf, rep); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// direct scans dir in-process, without NATS: the reference every distributed scan must
// match byte for byte.
func direct(t *testing.T, dir string, set *rules.Set) []byte {
	t.Helper()
	e, closeEngine, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeEngine()
	return scanWith(t, dir, set, scan.Local{Engine: e, Workers: 2})
}

// firstDiff shows where two outputs part.
func firstDiff(got, want []byte) string {
	n := min(len(got), len(want))
	i := 0
	for i < n && got[i] == want[i] {
		i++
	}
	lo := max(0, i-200)
	return "got …" + string(got[lo:min(len(got), i+200)]) + "\nwant …" + string(want[lo:min(len(want), i+200)])
}
