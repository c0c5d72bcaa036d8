package analyze

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/match"
	"glassbox/analyzers/source"
	"glassbox/rules"
)

func session(t *testing.T, opts Options) *Session {
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
	s := New(m, opts).NewSession()
	t.Cleanup(s.Close)
	return s
}

func file(t *testing.T, path, src string) source.File {
	t.Helper()
	f, ok := source.NewFile(path, []byte(src))
	if !ok {
		t.Fatalf("%s is not a source file name", path)
	}
	return f
}

func TestNotifications(t *testing.T) {
	big := strings.Repeat("int f(int a) { return send(a, 0, 0, 0) + g(a, b); }\n", 40000)
	tests := []struct {
		name, path, src string
		opts            Options
		id              string
		level           finding.Level
		findings        bool
	}{
		{"parse over budget", "big.c", big, Options{ParseTimeout: time.Microsecond}, finding.NoteParseTime, finding.Warning, false},
		{"empty", "e.c", "", Options{}, finding.NoteEmpty, finding.Note, false},
		{"binary", "b.c", "\x00\x01\x02send", Options{}, finding.NoteBinary, finding.Note, false},
		{"syntax errors", "s.c", "void f(int s) {\n  send(s, 0, 0, 0);\n  if (x {\n}\n", Options{}, finding.NoteParseError, finding.Note, true},
		{"forced encoding", "k.c", "/* \xf0\xd2\xc9\xd7\xc5\xd4 */ void f(int s) { send(s, 0, 0, 0); }\n", Options{Encoding: "koi8-r"}, finding.NoteEncoding, finding.Note, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := session(t, tc.opts).Analyze(context.Background(), file(t, tc.path, tc.src))
			if len(res.Notifications) != 1 || res.Notifications[0].ID != tc.id || res.Notifications[0].Level != tc.level {
				t.Fatalf("notifications = %+v, want one %s at %s", res.Notifications, tc.id, tc.level)
			}
			if n := res.Notifications[0]; n.Path != tc.path || n.Message == "" {
				t.Errorf("notification %+v does not name the file and the reason", n)
			}
			if got := len(res.Findings) > 0; got != tc.findings {
				t.Errorf("findings = %d, want some: %v", len(res.Findings), tc.findings)
			}
			if res.Artifact.Path != tc.path || res.Artifact.Length != int64(len(tc.src)) {
				t.Errorf("artifact = %+v", res.Artifact)
			}
		})
	}
}

func TestHeaderLanguage(t *testing.T) {
	s := session(t, Options{})
	res := s.Analyze(context.Background(), file(t, "agent.h", "class Agent {\npublic:\n  void Run() { ::send(s, 0, 0, 0); }\n};\n"))
	if res.Artifact.Lang != string(source.CPP) || len(res.Notifications) != 0 || len(res.Findings) != 1 {
		t.Errorf("C++ header: lang %s, notifications %v, findings %d", res.Artifact.Lang, res.Notifications, len(res.Findings))
	}
	if fn := res.Findings[0].Location.Function; fn != "Agent::Run" {
		t.Errorf("function = %q", fn)
	}
}

// TestSessionReuse analyses many files with one session: per-file state (trees, resolvers)
// must not leak from one file into the next.
func TestSessionReuse(t *testing.T) {
	s := session(t, Options{})
	for i := 0; i < 50; i++ {
		res := s.Analyze(context.Background(), file(t, "a.cpp", "void f(int s) {\n  send(s, 0, 0, 0);\n}\n"))
		if len(res.Findings) != 1 || res.Findings[0].Location.Region.StartLine != 2 {
			t.Fatalf("run %d: %+v", i, res.Findings)
		}
		if res := s.Analyze(context.Background(), file(t, "b.go", "package a\nfunc f() {}\n")); len(res.Findings) != 0 {
			t.Fatalf("run %d: a clean Go file has findings: %+v", i, res.Findings)
		}
	}
}

// TestSplitBranches: a file that parses only one #if/#else branch at a time is analysed on
// one reading, says so, and still reports the pattern findings of the other branches.
func TestSplitBranches(t *testing.T) {
	src := "int submit(int sd)\n{\n#ifdef SO_ERROR\n    if (wait_connect(sd, 10)) {\n#else\n" +
		"    if (connect(sd, 0, 0)) {\n#endif\n        return -1;\n    }\n    return send(sd, \"x\", 1, 0);\n}\n"
	res := session(t, Options{}).Analyze(context.Background(), file(t, "split.c", src))
	if len(res.Notifications) != 1 || !strings.Contains(res.Notifications[0].Message, "the first branch") {
		t.Errorf("notifications = %+v, want one naming the branch read", res.Notifications)
	}
	var got []string
	for _, fd := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d", fd.RuleID, fd.Location.Region.StartLine))
	}
	slices.Sort(got)
	want := []string{"egress/connect:6", "egress/send:10"}
	if !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}
