package scan

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
	"glassbox/analyzers/taint"
	"glassbox/rules"
	"glassbox/workers/walk"
)

func engine(t *testing.T) *analyze.Engine {
	t.Helper()
	packs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.New(set)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return analyze.New(m, analyze.Options{})
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// failingFS makes one file unreadable the way a permission error would, which chmod cannot
// do for a test running as root.
type failingFS struct {
	fs.FS
	name string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.EACCES}
	}
	return f.FS.Open(name)
}

func (f failingFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(f.FS, name) }

func utf16le(s string) []byte {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// TestRobustness feeds the scan every kind of bad input at once: each becomes a notification,
// the scan completes, and files in odd encodings are analysed with the right lines.
func TestRobustness(t *testing.T) {
	dir := t.TempDir()
	send := "void f(int s, const char *b) {\n  send(s, b, 1, 0);\n}\n"
	write(t, dir, "good.c", []byte(send))
	write(t, dir, "empty.c", nil)
	write(t, dir, "binary.c", []byte("\x7fELF\x02\x01\x01\x00\x00\x00send"))
	write(t, dir, "deep.c", []byte("int f() { return "+strings.Repeat("(", 10000)+"1"+strings.Repeat(")", 10000)+"; }\nvoid g(int s) { send(s, 0, 0, 0); }\n"))
	big, err := os.Create(filepath.Join(dir, "big.c"))
	if err != nil {
		t.Fatal(err)
	}
	big.Truncate(30 << 20)
	big.Close()
	if err := os.Symlink(".", filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "secret.c", []byte(send))
	cp1251, _ := charmap.Windows1251.NewEncoder().String("// Отправка отчёта на сервер\r\nvoid f(int s) {\r\n  send(s, \"отчёт\", 5, 0);\r\n}\r\n")
	write(t, dir, "legacy.c", []byte(cp1251))
	write(t, dir, "wide.c", utf16le("// UTF-16 source\r\n\r\nvoid f(int s) { send(s, 0, 0, 0); }\r\n"))
	write(t, dir, "crlf.c", []byte("// CRLF\r\n\r\n\r\nvoid f(int s) {\r\n  send(s, 0, 0, 0);\r\n}\r\n"))
	write(t, dir, "mac.c", []byte("// old Mac line ends\rvoid f(int s) {\r  send(s, 0, 0, 0);\r}\r"))
	write(t, dir, "broken.c", []byte("void f(int s) {\n  send(s, 0, 0, 0);\n  if (x {\n}\n"))

	root, err := walk.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	root.FS = failingFS{FS: root.FS, name: "secret.c"}
	res, err := Run(context.Background(), Config{Root: root, Engine: engine(t)})
	if err != nil {
		t.Fatal(err)
	}

	notes := map[string]string{}
	for _, n := range res.Notifications {
		notes[n.Path] = n.ID
	}
	wantNotes := map[string]string{
		"empty.c": finding.NoteEmpty, "binary.c": finding.NoteBinary, "deep.c": finding.NoteDeepNesting,
		"big.c": finding.NoteTooLarge, "loop": finding.NoteSymlink, "secret.c": finding.NoteUnreadable,
		"legacy.c": finding.NoteEncoding, "wide.c": finding.NoteEncoding, "broken.c": finding.NoteParseError,
	}
	for path, id := range wantNotes {
		if notes[path] != id {
			t.Errorf("%s: notification %q, want %q (all: %v)", path, notes[path], id, res.Notifications)
		}
	}
	for _, path := range []string{"good.c", "crlf.c", "mac.c"} {
		if id, ok := notes[path]; ok {
			t.Errorf("%s: unexpected notification %q", path, id)
		}
	}

	sends := map[string]int{}
	for _, f := range res.Findings {
		if f.RuleID == "egress/send" {
			sends[f.Location.Path] = f.Location.Region.StartLine
		}
	}
	wantLines := map[string]int{"good.c": 2, "legacy.c": 3, "wide.c": 3, "crlf.c": 5, "mac.c": 3, "deep.c": 2, "broken.c": 2}
	if !reflect.DeepEqual(sends, wantLines) {
		t.Errorf("send findings by file:line = %v, want %v", sends, wantLines)
	}
	for _, f := range res.Findings {
		if f.Location.Path == "legacy.c" && !strings.Contains(f.Location.Context.Snippet, "отчёт") {
			t.Errorf("legacy.c snippet not transcoded: %q", f.Location.Context.Snippet)
		}
	}
}

// TestDeterministic checks that the number of workers does not change the result, taint
// paths included: results arrive in a different order each time, and neither the link step
// nor the final sort may let that show (two results that tie on location, rule and message
// once came out in arrival order, and one of them was dropped as a duplicate at random).
func TestDeterministic(t *testing.T) {
	root, err := walk.Open("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	packs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		t.Fatal(err)
	}
	e, free, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer free()
	run := func(workers int) *Result {
		res, err := Run(context.Background(), Config{Root: root, Engine: e, Workers: workers,
			Link: func(rs []finding.FileResult) []finding.Finding { return taint.Link(rs, set) }})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	one := run(1)
	if len(one.Findings) == 0 {
		t.Fatal("no findings in testdata")
	}
	for i := 0; i < 3; i++ {
		if many := run(8); !reflect.DeepEqual(one, many) {
			t.Fatalf("1 worker and 8 workers gave different results (attempt %d)", i+1)
		}
	}
}

func TestCancelled(t *testing.T) {
	root, err := walk.Open("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Config{Root: root, Engine: engine(t)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestFingerprintsSurviveInsertedLines scans a file, inserts unrelated lines above every
// finding, scans again, and expects the same fingerprints: baselines must not churn.
func TestFingerprintsSurviveInsertedLines(t *testing.T) {
	dir := t.TempDir()
	body := "void f(int s, const char *b) {\n  send(s, b, 1, 0);\n  send(s, \"https://c2.avcorp-cloud.net/x\", 1, 0);\n}\n"
	write(t, dir, "a.c", []byte(body))
	scanFPs := func() []string {
		root, err := walk.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer root.Close()
		res, err := Run(context.Background(), Config{Root: root, Engine: engine(t)})
		if err != nil {
			t.Fatal(err)
		}
		return finding.Fingerprints(res.Findings)
	}
	before := scanFPs()
	write(t, dir, "a.c", []byte("#include <stdio.h>\n/* new\n   comment */\n\n"+body))
	after := scanFPs()
	if len(before) != 3 || !reflect.DeepEqual(before, after) {
		t.Errorf("fingerprints changed after inserting lines:\nbefore %v\nafter  %v", before, after)
	}
}
