package syntax

import (
	"slices"
	"strings"
	"testing"

	"glassbox/analyzers/source"
)

func TestOneBranch(t *testing.T) {
	src := "a;\n#ifdef X\nb;\n#elif Y \\\n  && Z\nc;\n#else\nd;\n#endif\n#if 0\ne;\n#else\nf;\n#endif\n/* #if\n#else */\ng;\n"
	tests := []struct {
		name   string
		choice int
		keep   []string // the statements left
	}{
		{"first", firstBranch, []string{"a;", "b;", "f;", "g;"}},
		{"last", lastBranch, []string{"a;", "d;", "f;", "g;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := oneBranch([]byte(src), conditionals([]byte(src)), tt.choice)
			if len(out) != len(src) || strings.Count(string(out), "\n") != strings.Count(src, "\n") {
				t.Fatalf("offsets or lines moved:\n%q", out)
			}
			var got []string
			for _, f := range strings.Fields(string(out)) {
				if strings.HasSuffix(f, ";") {
					got = append(got, f)
				}
			}
			if !slices.Equal(got, tt.keep) {
				t.Errorf("kept %v, want %v\n%s", got, tt.keep, out)
			}
			if strings.Contains(string(out), "#ifdef") || strings.Contains(string(out), "#endif") {
				t.Errorf("directives left:\n%s", out)
			}
			if !strings.Contains(string(out), "/* #if\n#else */") {
				t.Errorf("a directive inside a comment was blanked:\n%s", out)
			}
		})
	}
	if src := []byte("int x;\n#define Y 1\n"); oneBranch(src, conditionals(src), firstBranch) != nil {
		t.Error("a file without conditionals has a one-branch reading")
	}
}

// TestSplitStatementParses: an if header written twice across #ifdef/#else is how C picks a
// platform API; the file as written is one ERROR, the first-branch reading parses whole.
func TestSplitStatementParses(t *testing.T) {
	src := "int submit(int sd, char *buf, int n)\n{\n#ifdef SO_ERROR\n    if (wait_connect(sd, 10)) {\n#else\n" +
		"    if (connect(sd, 0, 0)) {\n#endif\n        return -1;\n    }\n    return send(sd, buf, n, 0);\n}\n"
	tree := parse(t, source.C, src)
	if n, _ := tree.ErrorCount(); n != 0 || tree.Branches != "first" {
		t.Fatalf("%d errors, branches %q; want 0 errors reading the first branch", n, tree.Branches)
	}
	var calls []string
	for _, c := range tree.Calls() {
		calls = append(calls, c.Names[0])
	}
	if !slices.Equal(calls, []string{"wait_connect", "send"}) {
		t.Errorf("calls %v, want [wait_connect send]", calls)
	}
	if fns := tree.Functions(); len(fns) != 1 || tree.FunctionName(fns[0]) != "submit" {
		t.Errorf("functions %v", fns)
	}
	// A file that parses as written is read as written.
	if tree := parse(t, source.C, "#ifdef X\nint a;\n#else\nint b;\n#endif\n"); tree.Branches != "" {
		t.Errorf("a clean file was read with branches %q", tree.Branches)
	}
}

func TestMacroString(t *testing.T) {
	tests := []struct {
		body, want string
		ok         bool
	}{
		{`"http://c2.example/gate.php"`, "http://c2.example/gate.php", true},
		{`  L"host.example:443"   // fallback`, "host.example:443", true},
		{`_T("a.example") /* tchar */`, "a.example", true},
		{`"http://" "b.example/x"`, "http://b.example/x", true},
		{`"esc\"aped"`, `esc"aped`, true},
		{`"see " DOCS_URL`, "", false},
		{`MAKEWORD(2, 2)`, "", false},
		{`"unterminated`, "", false},
		{``, "", false},
	}
	for _, tt := range tests {
		got, ok := macroString(tt.body)
		if got != tt.want || ok != tt.ok {
			t.Errorf("macroString(%q) = %q, %v; want %q, %v", tt.body, got, ok, tt.want, tt.ok)
		}
	}
}
