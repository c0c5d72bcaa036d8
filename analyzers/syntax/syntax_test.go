package syntax

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"glassbox/analyzers/source"
)

func parse(t *testing.T, lang source.Lang, src string) *Tree {
	t.Helper()
	p := NewParser(5 * time.Second)
	t.Cleanup(p.Close)
	tree, err := p.Parse(context.Background(), lang, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tree.Close)
	return tree
}

// callNames maps each call's callee text to its names.
func callNames(t *testing.T, lang source.Lang, src string) map[string][]string {
	tree := parse(t, lang, src)
	out := map[string][]string{}
	for _, c := range tree.Calls() {
		out[strings.Join(strings.Fields(tree.Text(c.Callee)), " ")] = c.Names
	}
	return out
}

func TestCalleeNames(t *testing.T) {
	tests := []struct {
		name, lang, src, callee string
		want                    []string
	}{
		{"c plain", "c", "void f(){ send(s, b, n, 0); }", "send", []string{"send"}},
		{"c struct pointer member", "c", "void f(struct t *x){ x->send(1); }", "x->send", []string{"*.send"}},
		{"c wrapper macro", "c", "void f(){ CWA(kernel32, CreateFileW)(a, b); }", "CWA(kernel32, CreateFileW)", []string{"CreateFileW"}},
		{"c GetProcAddress call", "c", `void f(){ ((FN)GetProcAddress(h, "send"))(s); }`, `((FN)GetProcAddress(h, "send"))`, []string{"send"}},
		{"c pointer deref", "c", "void f(){ (*pfn)(1); }", "(*pfn)", []string{"pfn"}},
		{"cpp global", "cpp", "void f(){ ::send(s, b, n, 0); }", "::send", []string{"send"}},
		{"cpp qualified", "cpp", "void f(){ std::system(cmd); }", "std::system", []string{"std::system"}},
		{"cpp template args dropped", "cpp", "void f(){ boost::asio::async_write<int>(s, b); }", "boost::asio::async_write<int>", []string{"boost::asio::async_write"}},
		{"cpp typed local", "cpp", "void f(){ QTcpSocket *s = new QTcpSocket(this); s->write(d); }", "s->write", []string{"QTcpSocket::write", "*.write"}},
		{"cpp auto new", "cpp", "void f(){ auto m = new QNetworkAccessManager(); m->post(r, d); }", "m->post", []string{"QNetworkAccessManager::post", "*.post"}},
		{"cpp smart pointer", "cpp", "void f(){ std::unique_ptr<Uploader> u; u->Send(x); }", "u->Send", []string{"Uploader::Send", "*.Send"}},
		{"cpp make_unique", "cpp", "void f(){ auto u = std::make_unique<Uploader>(); u->Send(x); }", "u->Send", []string{"Uploader::Send", "*.Send"}},
		{"cpp field of class", "cpp", "class A { QTcpSocket *m_s; void g(); };\nvoid A::g(){ m_s->write(d); }", "m_s->write", []string{"QTcpSocket::write", "*.write"}},
		{"cpp this", "cpp", "class A { void g(); void h(); };\nvoid A::h(){ this->g(); }", "this->g", []string{"A::g", "*.g"}},
		{"cpp parameter reference", "cpp", "void f(IXMLHTTPRequest &r){ r.send(v); }", "r.send", []string{"IXMLHTTPRequest::send", "*.send"}},
		{"cpp unknown receiver", "cpp", "void f(){ get()->send(v); }", "get()->send", []string{"*.send"}},
		{"go package func", "go", "package a\nimport \"net/http\"\nfunc f(){ http.Get(u) }", "http.Get", []string{"net/http.Get"}},
		{"go aliased import", "go", "package a\nimport h \"net/http\"\nfunc f(){ h.Post(u, t, b) }", "h.Post", []string{"net/http.Post"}},
		{"go versioned import", "go", "package a\nimport \"github.com/go-resty/resty/v2\"\nfunc f(){ resty.New() }", "resty.New", []string{"github.com/go-resty/resty/v2.New"}},
		{"go typed param", "go", "package a\nimport \"net/http\"\nfunc f(c *http.Client){ c.Do(r) }", "c.Do", []string{"net/http.Client.Do", "*.Do"}},
		{"go composite literal", "go", "package a\nimport \"net/http\"\nfunc f(){ c := &http.Client{}; c.Do(r) }", "c.Do", []string{"net/http.Client.Do", "*.Do"}},
		{"go constructor result", "go", "package a\nimport \"net\"\nfunc f(){ conn, err := net.Dial(\"tcp\", a); conn.Write(b); _ = err }", "conn.Write", []string{"net.Conn.Write", "*.Write"}},
		{"go struct field", "go", "package a\nimport \"net/http\"\ntype A struct{ cl *http.Client }\nfunc (a *A) f(){ a.cl.Do(r) }", "a.cl.Do", []string{"net/http.Client.Do", "*.Do"}},
		{"go package var", "go", "package a\nimport \"net/http\"\nfunc f(){ http.DefaultClient.Do(r) }", "http.DefaultClient.Do", []string{"net/http.DefaultClient.Do", "net/http.Client.Do", "*.Do"}},
		{"go local shadows import", "go", "package a\nimport \"net/url\"\nfunc f(url *Thing){ url.Parse() }", "url.Parse", []string{"Thing.Parse", "*.Parse"}},
		{"go pkg.New names its package's type", "go", "package a\nimport \"text/template\"\nfunc f(){ template.New(n).Parse(s) }", "template.New(n).Parse", []string{"text/template.Template.Parse", "*.Parse"}},
		{"go pkg.New under a major version", "go", "package a\nimport \"github.com/x/otto/v2\"\nfunc f(){ vm := otto.New(); vm.Run(s) }", "vm.Run", []string{"github.com/x/otto/v2.Otto.Run", "*.Run"}},
		{"go NewX returns X", "go", "package a\nimport \"github.com/x/api\"\nfunc f(){ c := api.NewClient(); c.Send(s) }", "c.Send", []string{"github.com/x/api.Client.Send", "*.Send"}},
		{"go var decl", "go", "package a\nimport \"net\"\nfunc f(){ var d net.Dialer; d.Dial(n, a) }", "d.Dial", []string{"net.Dialer.Dial", "*.Dial"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := callNames(t, source.Lang(tc.lang), tc.src)
			names, ok := got[tc.callee]
			if !ok {
				t.Fatalf("no call with callee %q; calls: %v", tc.callee, got)
			}
			if !slices.Equal(names, tc.want) {
				t.Errorf("names = %q, want %q", names, tc.want)
			}
		})
	}
}

// valueOf returns the literal value of the first argument of the first call.
func firstArg(t *testing.T, lang source.Lang, src string) (*Tree, *Call) {
	tree := parse(t, lang, src)
	calls := tree.Calls()
	if len(calls) == 0 || len(calls[0].Args()) == 0 {
		t.Fatalf("no call with arguments in %q", src)
	}
	return tree, calls[0]
}

func TestStringValue(t *testing.T) {
	tests := []struct {
		lang, arg string
		want      string
		ok        bool
	}{
		{"c", `"plain"`, "plain", true},
		{"c", `"a\tb\\c\"d\x41\101\n"`, "a\tb\\c\"dAA\n", true},
		{"c", `L"wide"`, "wide", true},
		{"c", `u8"x\u00e9"`, "xé", true},
		{"c", `"http://" "evil.example.net"`, "http://evil.example.net", true},
		{"c", `"%" PRIu64 "d"`, "%d", true},
		{"c", `_T("http://x.net")`, "http://x.net", true},
		{"c", `TEXT("y")`, "y", true},
		{"c", `name`, "", false},
		{"c", `'c'`, "", false},
		{"cpp", `R"(raw "text")"`, `raw "text"`, true},
		{"cpp", `LR"xy(a)b)xy"`, `a)b`, true},
		{"go", `"a\tb\u00e9"`, "a\tbé", true},
		{"go", "`raw\\n`", `raw\n`, true},
	}
	for _, tc := range tests {
		src := "void f(){ g(" + tc.arg + "); }"
		if tc.lang == "go" {
			src = "package a\nfunc f(){ g(" + tc.arg + ") }"
		}
		tree, c := firstArg(t, source.Lang(tc.lang), src)
		got, ok := tree.StringValue(c.Args()[0])
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s StringValue(%s) = %q, %v; want %q, %v", tc.lang, tc.arg, got, ok, tc.want, tc.ok)
		}
	}
}

func TestIsConstant(t *testing.T) {
	tests := []struct {
		lang, arg string
		want      bool
	}{
		{"c", "42", true}, {"c", `"ls"`, true}, {"c", "AF_INET", true}, {"c", "NULL", true},
		{"c", "sizeof(buf)", true}, {"c", "(DWORD)-1", true}, {"c", "FLAG_A | FLAG_B", true},
		{"c", "x ? 1 : 2", false}, {"c", "cmd", false}, {"c", "buf + 1", false}, {"c", "get()", false},
		{"c", "_T(\"x\")", true}, {"cpp", "nullptr", true}, {"cpp", "Opts::MAX_LEN", true},
		{"go", "nil", true}, {"go", "limit", true}, {"go", "cmd", false}, {"go", `"ls" + "-l"`, true},
	}
	for _, tc := range tests {
		var tree *Tree
		var c *Call
		if tc.lang == "go" {
			tree, c = firstArg(t, source.Go, "package a\nconst limit = 3\nfunc f(){ g("+tc.arg+") }")
		} else {
			tree, c = firstArg(t, source.Lang(tc.lang), "void f(){ g("+tc.arg+"); }")
		}
		if got := tree.IsConstant(c.Args()[0]); got != tc.want {
			t.Errorf("%s IsConstant(%s) = %v, want %v", tc.lang, tc.arg, got, tc.want)
		}
	}
}

func TestFunctionAndContextNames(t *testing.T) {
	tests := []struct {
		lang, src, needle, fn, ctx string
	}{
		{"c", "static int beacon(void) { return g(\"x\"); }", `"x"`, "beacon", "g"},
		{"c", "#define VERSION \"1.0.0.1\"\n", `"1.0.0.1"`, "", "VERSION"},
		{"c", "const char *server_ip = \"1.2.3.4\";", `"1.2.3.4"`, "", "server_ip"},
		{"c", "struct c cfg = { .host = \"h\" };", `"h"`, "", ".host"},
		{"cpp", "class A { void Run() { f(\"x\"); } };", `"x"`, "A::Run", "f"},
		{"cpp", "namespace n { void A::Run() { auto l = [](){ f(\"x\"); }; } }", `"x"`, "A::Run", "f"},
		{"cpp", "int *A::Get() { v = \"x\"; }", `"x"`, "A::Get", "v"},
		{"go", "package a\nfunc (a *Agent) Run() { go func() { f(\"x\") }() }", `"x"`, "Agent.Run", "f"},
		{"go", "package a\nvar version = \"1.2.3.4\"", `"1.2.3.4"`, "", "version"},
		{"go", "package a\nfunc f() { m := map[string]string{\"host\": \"h.net\"}; _ = m }", `"h.net"`, "f", `"host"`},
	}
	for _, tc := range tests {
		tree := parse(t, source.Lang(tc.lang), tc.src)
		off := strings.Index(tc.src, tc.needle)
		n := nodeAt(tree, off, off+len(tc.needle))
		if got := tree.FunctionName(n); got != tc.fn {
			t.Errorf("%q: FunctionName = %q, want %q", tc.src, got, tc.fn)
		}
		if got := tree.ContextName(n); got != tc.ctx {
			t.Errorf("%q: ContextName = %q, want %q", tc.src, got, tc.ctx)
		}
	}
}

func TestQueryPredicates(t *testing.T) {
	src := `void f(){
  a("http://c2.avcorp-cloud.net/x");
  b("plain");
  c(cmd);
  d(42);
}`
	tree := parse(t, source.C, src)
	tests := []struct {
		query string
		want  []string // texts of @m
	}{
		{`((string_literal) @m (#is-endpoint? @m url))`, []string{`"http://c2.avcorp-cloud.net/x"`}},
		{`((string_literal) @m (#is-endpoint? @m domain))`, nil},
		{`((string_literal) @m (#value-match? @m "^pl"))`, []string{`"plain"`}},
		{`(call_expression function: (identifier) @f (#any-of? @f "b" "d") arguments: (argument_list (_) @m))`, []string{`"plain"`, "42"}},
		{`(call_expression function: (identifier) @f (#not-eq? @f "a") arguments: (argument_list (_) @m (#not-constant? @m)))`, []string{"cmd"}},
		{`(call_expression arguments: (argument_list (_) @m (#is-string? @m)))`, []string{`"http://c2.avcorp-cloud.net/x"`, `"plain"`}},
		{`(call_expression function: (identifier) @f (#match? @f "^[cd]$") arguments: (argument_list (_) @m (#is-constant? @m)))`, []string{"42"}},
	}
	for _, tc := range tests {
		q, err := CompileQuery(source.C, tc.query)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		var got []string
		q.Run(tree, func(m *Match) { got = append(got, tree.Text(m.Capture("m"))) })
		q.Close()
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: matched %q, want %q", tc.query, got, tc.want)
		}
	}
}

func TestCompileQueryErrors(t *testing.T) {
	tests := []struct{ query, want string }{
		{"(call_expresion) @m", "invalid node type"},
		{"(call_expression\n  (argument_lst)) @m", "query line 2"},
		{"((identifier) @m (#frobnicate? @m))", "unknown predicate #frobnicate?"},
		{`((identifier) @m (#match? @m "["))`, "bad regular expression"},
		{`((identifier) @m (#is-endpoint? @m planet))`, `unknown endpoint kind "planet"`},
		{`((identifier) @m (#eq? @m))`, "wrong number of arguments"},
		{`((identifier) @m (#any-of? @m))`, "takes a capture and at least one string"},
	}
	for _, tc := range tests {
		_, err := CompileQuery(source.C, tc.query)
		var qe *QueryError
		if err == nil || !errors.As(err, &qe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CompileQuery(%q) error = %v, want one containing %q", tc.query, err, tc.want)
		}
	}
}

func TestNesting(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{"f(a[1], {2});", 2},
		{`f("((((", '(', /* (((( */ x); // ((((`, 1},
		{strings.Repeat("(", 1000) + strings.Repeat(")", 1000), 1000},
		{"`((`", 0},
	}
	for _, tc := range tests {
		if got := Nesting([]byte(tc.src)); got != tc.want {
			t.Errorf("Nesting(%.20q) = %d, want %d", tc.src, got, tc.want)
		}
	}
}

func TestParseTimeoutAndReuse(t *testing.T) {
	p := NewParser(time.Microsecond)
	defer p.Close()
	big := []byte(strings.Repeat("int f(int a) { return g(a, b, c) + h(d); }\n", 20000))
	if _, err := p.Parse(context.Background(), source.C, big); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	// After a cancelled parse the parser must start afresh on the next file.
	p.Timeout = 5 * time.Second
	tree, err := p.Parse(context.Background(), source.C, []byte("int x;"))
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if n, _ := tree.ErrorCount(); n != 0 || tree.End(tree.Root) != 6 {
		t.Errorf("reused parser produced a bad tree of %d nodes", tree.Len())
	}
}

func TestErrorCount(t *testing.T) {
	tree := parse(t, source.C, "int ok(void);\nint bad( { ;\nint ok2(void);\n")
	n, first := tree.ErrorCount()
	if n == 0 || first < len("int ok(void);\n") {
		t.Errorf("ErrorCount = %d, first at byte %d", n, first)
	}
}

// nodeAt returns the deepest node spanning exactly [start, end).
func nodeAt(t *Tree, start, end int) Node {
	found := NoNode
	for i := 0; i < t.Len(); i++ {
		if n := Node(i); t.Start(n) == start && t.End(n) == end {
			found = n
		}
	}
	return found
}

// TestWindowsDecorations checks that calling conventions and SAL annotations do not turn
// function definitions into parse errors.
func TestWindowsDecorations(t *testing.T) {
	src := "static DWORD WINAPI Worker(_In_ LPVOID param, _Out_writes_(n) char *buf, __in DWORD n)\n{\n  send(s, buf, n, 0);\n}\n" +
		"__declspec(dllexport) int __stdcall Exported(void) { return connect(s, 0, 0); }\n"
	tree := parse(t, source.CPP, src)
	if n, _ := tree.ErrorCount(); n != 0 {
		t.Fatalf("%d parse errors", n)
	}
	var names []string
	for _, fn := range tree.Functions() {
		names = append(names, tree.FunctionName(fn))
	}
	if !slices.Equal(names, []string{"Worker", "Exported"}) {
		t.Errorf("functions = %q", names)
	}
	// Blanking keeps every offset, so node text is still read from the original source.
	if c := tree.Calls()[0]; tree.Text(c.Node) != "send(s, buf, n, 0)" {
		t.Errorf("call text = %q", tree.Text(c.Node))
	}
}

// TestQueryFeasible checks the substring prefilter: a query is walked only over files that
// contain a text each of some pattern's #eq?/#any-of? wants, and it never drops a match.
func TestQueryFeasible(t *testing.T) {
	tests := []struct {
		query, src string
		want       bool
	}{
		{`((identifier) @m (#eq? @m "environ"))`, "int f(){ return g; }", false},
		{`((identifier) @m (#eq? @m "environ"))`, "int f(){ return environ[0] != 0; }", true},
		{`((identifier) @m (#any-of? @m "a_x" "b_y"))`, "int f(){ return b_y; }", true},
		{`((identifier) @m (#eq? @m "x1")) ((identifier) @n (#eq? @n "y2"))`, "int f(){ return y2; }", true},
		{`((identifier) @m (#match? @m "^env"))`, "int f(){ return g; }", true},
		{`((identifier) @m (#not-eq? @m "environ"))`, "int f(){ return g; }", true},
	}
	for _, tc := range tests {
		q, err := CompileQuery(source.C, tc.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.feasible([]byte(tc.src)); got != tc.want {
			t.Errorf("feasible(%q, %q) = %v, want %v", tc.query, tc.src, got, tc.want)
		}
		matched := false
		q.Run(parse(t, source.C, tc.src), func(*Match) { matched = true })
		if matched && !tc.want {
			t.Errorf("%q matched %q, which the prefilter rules out", tc.query, tc.src)
		}
		q.Close()
	}
}
