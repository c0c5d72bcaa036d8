package taint

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
	"glassbox/rules"
)

// pack is a small rule pack for the engine's own tests: sources, sinks and a library as the
// built-in packs write them, kept here so the tests do not move when those packs do.
const pack = `pack: t
version: 1.0.0
library:
  propagators:
    - calls: [strcpy, memcpy, sprintf]
      from: arg1..
      to: arg0
    - calls: ["*.assign"]
      from: args
      to: receiver
  sanitizers:
    - calls: [strlen, hash]
  callbacks:
    - calls: [CreateThread]
      function: arg2
      data: arg3
      param: 0
rules:
  - id: t/leak
    name: Leak
    severity: error
    languages: [c, cpp, go]
    message: "{source} reaches {sink} in {function}"
    help: h
    taint:
      sources:
        - kind: host
          label: name
          calls: [GetName]
          out: arg0
        - kind: host
          label: name
          calls: [name, os.Hostname]
          out: return
        - kind: net
          label: reply
          calls: [curl_easy_setopt]
          where: [{index: 1, equals: CURLOPT_WRITEFUNCTION}]
          callback: {function: arg2, param: 0}
      sinks:
        - kind: send
          label: sent
          calls: [send, net.Conn.Write, "QTcpSocket::write"]
          arg: [arg1, arg0]
      sanitizers:
        - calls: [redact]
  - id: t/exec
    name: Exec
    severity: error
    languages: [c, cpp, go]
    message: "{source} reaches {sink}"
    help: h
    taint:
      sources:
        - {kind: net, label: input, calls: [recv], out: arg1}
      sinks:
        - {kind: exec, label: run, calls: [system], arg: arg0}
  - id: t/dispatch
    name: Dispatch
    severity: error
    languages: [c, cpp, go]
    message: "{vocabulary} -> {actions}"
    help: h
    taint:
      sources:
        - {kind: net, label: input, calls: [recv], out: arg1}
      dispatch:
        actions:
          - {kind: exec, calls: [system]}
          - {kind: delete, calls: [unlink]}
  - id: t/chain
    name: Chain
    severity: error
    languages: [c]
    message: "{source} opens {sink}, then {then}"
    help: h
    taint:
      sources:
        - {kind: net, label: input, calls: [recv], out: arg1}
      sinks:
        - {kind: open, label: opened, calls: [fopen], arg: arg0}
      then:
        sinks:
          - {kind: send, label: sent, calls: [send], arg: arg1}
`

type file struct{ path, src string }

// link extracts every file and links them with the test pack; it returns the findings as
// "path:line rule" plus the findings themselves.
func link(t *testing.T, files ...file) ([]string, []finding.Finding) {
	t.Helper()
	return linkPack(t, pack, files...)
}

// linkPack is link with another rule pack, whose query models it compiles.
func linkPack(t *testing.T, packYAML string, files ...file) ([]string, []finding.Finding) {
	t.Helper()
	p, err := rules.Load("t.yaml", []byte(packYAML))
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet(p)
	if err != nil {
		t.Fatal(err)
	}
	queries, err := CompileQueries(set)
	if err != nil {
		t.Fatal(err)
	}
	defer queries.Close()
	parser := syntax.NewParser(0)
	defer parser.Close()
	var results []finding.FileResult
	for _, f := range files {
		lang, _ := source.LangByName(f.path)
		if strings.HasSuffix(f.path, ".h") {
			lang = source.CPP
		}
		text := source.NewText([]byte(f.src))
		tree, err := parser.Parse(context.Background(), lang, text.Content)
		if err != nil {
			t.Fatal(err)
		}
		s := Extract(tree, text, f.path, queries.For(lang)...)
		tree.Close()
		results = append(results, finding.FileResult{Artifact: finding.Artifact{Path: f.path, Lang: string(lang)},
			Functions: s.Functions, Tables: s.Tables, Stores: s.Stores, Members: s.Members, Classes: s.Classes})
	}
	fs := Link(results, set)
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s:%d %s", f.Location.Path, f.Location.Region.StartLine, f.RuleID))
	}
	sort.Strings(out)
	return slices.Compact(out), fs
}

func TestLink(t *testing.T) {
	tests := []struct {
		name  string
		files []file
		want  []string
	}{
		{"within a function", []file{{"a.c", "void f(int s){ char b[8];\nGetName(b);\nsend(s, b, 8, 0); }"}},
			[]string{"a.c:3 t/leak"}},
		{"constant data is not a leak", []file{{"a.c", "void f(int s){ char b[8];\nGetName(b);\nsend(s, \"ping\", 4, 0); }"}}, nil},
		{"a sanitizer stops the data", []file{{"a.c", "void f(int s){ char b[8]; int n;\nGetName(b);\nn = strlen(b);\nsend(s, &n, 4, 0); }"}}, nil},
		{"through a propagator", []file{{"a.c", "void f(int s){ char b[8], m[64];\nGetName(b);\nsprintf(m, \"h=%s\", b);\nsend(s, m, 64, 0); }"}},
			[]string{"a.c:4 t/leak"}},
		{"out-parameter of a function in another file", []file{
			{"a.c", "void collect(char *out) { GetName(out); }"},
			{"b.c", "void collect(char *out);\nvoid f(int s){ char b[8];\ncollect(b);\nsend(s, b, 8, 0); }"}},
			[]string{"b.c:4 t/leak"}},
		{"a sink inside a wrapper in another file", []file{
			{"a.c", "int send_all(int s, const char *p, int n) {\nreturn send(s, p, n, 0); }"},
			{"b.c", "void f(int s){ char b[8];\nGetName(b);\nsend_all(s, b, 8); }"}},
			[]string{"a.c:2 t/leak"}},
		{"the wrapper's other callers are not leaks", []file{
			{"a.c", "int send_all(int s, const char *p, int n) {\nreturn send(s, p, n, 0); }"},
			{"b.c", "void f(int s){ send_all(s, \"hello\", 5); }"}},
			nil},
		{"a result returned across files", []file{
			{"a.c", "const char *who(void) { return name(); }"},
			{"b.c", "void f(int s){\nsend(s, who(), 8, 0); }"}},
			[]string{"b.c:2 t/leak"}},
		{"C static functions stay in their file", []file{
			{"a.c", "static void fill(char *o) { GetName(o); }\nvoid f(int s) { char b[8]; fill(b);\nsend(s, b, 8, 0); }"},
			{"b.c", "static void fill(char *o) { o[0] = 0; }\nvoid g(int s) { char b[8]; fill(b);\nsend(s, b, 8, 0); }"}},
			[]string{"a.c:3 t/leak"}},
		{"a Go call through a procedure looked up by name runs the API", []file{{"p/a.go",
			"package p\nimport (\"net\"; \"syscall\"; \"unsafe\")\nvar (\n\tk32 = syscall.NewLazyDLL(\"k.dll\")\n\tprocGetName = k32.NewProc(\"GetName\")\n)\n" +
				"func f(c net.Conn) { var b [8]byte\nprocGetName.Call(uintptr(unsafe.Pointer(&b)))\nc.Write(b[:]) }\n" +
				"func g(c net.Conn) { var b [8]byte\nsend(b)\nc.Write(b[:]) }"}},
			[]string{"p/a.go:9 t/leak"}},
		{"a bit test passes the tested bits to what it guards", []file{{"a.c",
			"void f(int s){ char k[8]; int n = 0;\nif ((name() & 1) != 0) k[n++] = 'a';\nsend(s, k, 8, 0); }\n" +
				"void g(int s){ char k[8];\nif (name() == 0) k[0] = 'a';\nsend(s, k, 8, 0); }"}},
			[]string{"a.c:3 t/leak"}},
		{"a flag set under a condition is not the data it tested", []file{{"a.c",
			"void f(int s){ char b[8]; int found = 0; GetName(b);\nif (strstr(b, \"x\")) found = 1;\nsend(s, &found, 4, 0); }\n" +
				"void g(int s){ int fd; char q[8];\nif ((fd = name())) { q[0] = pick(); }\nsend(s, q, 8, 0); }"}},
			nil},
		{"both operands of + make the value", []file{{"a.cpp",
			"void f(int s, std::string base){ std::string u = base + \"?h=\" + name();\nsend(s, u.c_str(), 8, 0); }"}},
			[]string{"a.cpp:2 t/leak"}},
		{"a copy that parses as a function declaration", []file{{"a.cpp",
			"void f(int s){ char b[8]; GetName(b); std::string m(b);\nsend(s, m.c_str(), 8, 0); }\n" +
				"void g(int s){ std::string m(int n);\nsend(s, \"x\", 1, 0); }"}},
			[]string{"a.cpp:2 t/leak"}},
		{"a reference parameter fills a fresh local", []file{{"a.cpp",
			"static bool fill(const std::string &in, std::string &o) { char b[8];\nif (!GetName(b)) return false;\no.assign(b); return true; }\n" +
				"void f(int s, const std::vector<std::string> &rows){ for (size_t i = 0; i < rows.size(); ++i) { std::string pw;\nif (fill(rows[i], pw))\nsend(s, pw.c_str(), 8, 0); } }"}},
			[]string{"a.cpp:6 t/leak"}},
		{"a lambda kept in a local gets the arguments it is called with", []file{{"a.cpp",
			"void f(int s) { auto emit = [&](int, const char *n) {\nsend(s, n, 8, 0); };\nchar b[8]; GetName(b);\nemit(0, b); }\n" +
				"void g(int s) { auto emit = [&](const char *n) {\nsend(s, n, 8, 0); };\nemit(\"constant\"); }"}},
			[]string{"a.cpp:2 t/leak"}},
		{"a C++ member declared in a header names the method", []file{
			{"a.h", "class Link { void Announce(); QTcpSocket *m_sock; };\nclass Other { Reader *m_sock; };"},
			{"a.cpp", "void Link::Announce() { char b[8]; GetName(b);\nm_sock->write(b); }\nvoid Free(Link *l) { char b[8]; GetName(b);\nl->m_sock->write(b); }"}},
			[]string{"a.cpp:2 t/leak"}},
		{"a Go struct field declared in another file of the package", []file{
			{"p/types.go", "package p\nimport \"net\"\ntype Agent struct { conn net.Conn }"},
			{"p/send.go", "package p\nimport \"os\"\nfunc (a *Agent) Report() { b, _ := os.Hostname()\na.conn.Write(b) }"},
			{"q/send.go", "package q\nimport \"os\"\nfunc (a *Agent) Report() { b, _ := os.Hostname()\na.conn.Write(b) }"}},
			[]string{"p/send.go:4 t/leak"}},
		{"a global written inside a method", []file{
			{"a.cpp", "std::string g_out;\nvoid Col::Q() { char b[8]; GetName(b); g_out = b; }"},
			{"b.cpp", "extern std::string g_out;\nvoid S(int s) {\nsend(s, g_out.c_str(), 8, 0); }"},
			{"c.h", "class Col2 { void Q(); int m_n; };"},
			{"c.cpp", "void Col2::Q() { char b[8]; GetName(b); g_two = b; m_n = 1; }"},
			{"d.cpp", "extern std::string g_two;\nvoid S2(int s) {\nsend(s, g_two.c_str(), 8, 0); }"}},
			[]string{"b.cpp:3 t/leak", "d.cpp:3 t/leak"}},
		{"a call through a base class goes to the overrides, not to every method of the name", []file{
			{"a.h", "class ITransport { public: virtual bool Send(const char *p) = 0; };\nclass Https : public ITransport { public: bool Send(const char *p) override; };\n" +
				"class Beacon { public: bool Send(const char *p); };\nclass Agent { void Run(); ITransport *m_t; Beacon m_b; };"},
			{"a.cpp", "bool Https::Send(const char *p) {\nreturn send(1, p, 8, 0); }\nbool Beacon::Send(const char *p) {\nreturn send(2, p, 8, 0); }\n" +
				"void Agent::Run() { char b[8]; GetName(b); m_t->Send(b); m_b.Send(\"alive\"); }"}},
			[]string{"a.cpp:2 t/leak"}},
		{"a method sees the fields of its object, not the object's other fields", []file{{"p/a.go",
			"package p\nimport (\"net\"; \"os\")\ntype Agent struct { host string; conn net.Conn; ver string }\n" +
				"func (a *Agent) Ping() {\na.conn.Write([]byte(a.ver)) }\n" +
				"func (a *Agent) Report() {\na.conn.Write([]byte(a.host)) }\n" +
				"func Run(c net.Conn) { a := &Agent{conn: c, ver: \"1\"}; h, _ := os.Hostname(); a.host = h; a.Ping(); a.Report() }"}},
			[]string{"p/a.go:7 t/leak"}},
		{"the error beside a result does not carry it", []file{{"p/a.go",
			"package p\nimport (\"net\"; \"os\")\nfunc f(c net.Conn) { h, err := os.Hostname()\nc.Write(describe(err))\nc.Write([]byte(h)) }"}},
			[]string{"p/a.go:5 t/leak"}},
		{"recursion terminates", []file{{"a.c", "void r(int s, char *p, int n) { if (n) { r(s, p, n-1); q(s, p, n); } else {\nsend(s, p, 1, 0); } }\nvoid q(int s, char *p, int n) { r(s, p, n); }\nvoid f(int s){ char b[8]; GetName(b); r(s, b, 3); }"}},
			[]string{"a.c:2 t/leak"}},
		{"a global written in one file and sent in another", []file{
			{"a.c", "char g_name[64];\nvoid init(void) { GetName(g_name); }"},
			{"b.c", "extern char g_name[64];\nvoid beat(int s) {\nsend(s, g_name, 64, 0); }"}},
			[]string{"b.c:3 t/leak"}},
		{"one field of a struct is not another", []file{{"a.c", "struct i { char name[8]; char ver[8]; };\nvoid fill(struct i *p) { GetName(p->name); strcpy(p->ver, \"1.0\"); }\nvoid f(int s) { struct i x; fill(&x);\nsend(s, x.ver, 8, 0);\nsend(s, x.name, 8, 0); }"}},
			[]string{"a.c:5 t/leak"}},
		{"C++ member state between methods", []file{
			{"a.h", "class A { char m_name[8]; public: void Collect(); void Report(int s); };"},
			{"a.cpp", "void A::Collect() { GetName(m_name); }\nvoid A::Report(int s) {\nsend(s, m_name, 8, 0); }"}},
			[]string{"a.cpp:3 t/leak"}},
		{"thread procedure gets its argument", []file{{"a.c", "unsigned long proc(void *p) {\nsend(1, (char *)p, 8, 0); return 0; }\nvoid f(void) { static char b[8]; GetName(b); CreateThread(0, 0, proc, b, 0, 0); }"}},
			[]string{"a.c:2 t/leak"}},
		{"a thread wrapper of the program hands its argument over too", []file{{"a.c",
			"unsigned long proc(void *p) {\nsend(1, (char *)p, 8, 0); return 0; }\n" +
				"static void *spawn(int flags, void *fn, void *arg) { return CreateThread(0, 0, fn, arg, flags, 0); }\n" +
				"static void *spawn2(void *fn, void *arg) { return spawn(0, fn, arg); }\n" +
				"void f(void) { static char b[8]; GetName(b); spawn2(proc, b); }\n" +
				"void g(void) { static char c[8] = \"x\"; spawn(0, proc, c); }"}},
			[]string{"a.c:2 t/leak"}},
		{"a function called through a parameter is what each caller passes", []file{{"a.c",
			"void each(void (*cb)(const char *), const char *v) { (*cb)(v); }\nvoid emit(const char *x) {\nsend(1, x, 8, 0); }\n" +
				"void f(void) { char b[8]; GetName(b); each(emit, b); }\nvoid g(void) { each(emit, \"constant\"); }"}},
			[]string{"a.c:3 t/leak"}},
		{"a closure passed to a function of the program gets what it is called with", []file{{"a.go",
			"package a\nimport (\"net\"; \"os\")\nfunc fetch(h func([]byte)) { n, _ := os.Hostname(); h([]byte(n)) }\n" +
				"func f(c net.Conn) { fetch(func(d []byte) {\nc.Write(d) }) }\nfunc g(c net.Conn) { other(func(d []byte) { c.Write(d) }) }"}},
			[]string{"a.go:5 t/leak"}},
		{"a channel kept in a struct carries what is sent on it to the goroutine that reads it", []file{{"a.go",
			"package a\nimport (\"net\"; \"os\")\ntype Conn struct { Send chan []byte; Name string }\n" +
				"func open(c net.Conn) *Conn { send := make(chan []byte); name := \"agent\"\n" +
				"go func() { for b := range send {\nc.Write(b) } }()\ngo func() {\nc.Write([]byte(name)) }()\n" +
				"return &Conn{Send: send, Name: name} }\n" +
				"func register(k *Conn) { h, _ := os.Hostname(); k.Send <- []byte(h); k.Name = h }"}},
			[]string{"a.go:6 t/leak"}},
		{"an object returned whole keeps its fields apart", []file{{"a.go",
			"package a\nimport (\"net\"; \"os\")\ntype Host struct{ Name string }\ntype Agent struct { id string; host Host }\n" +
				"func New() (agent Agent) { agent = Agent{id: \"fixed\"}; agent.host.Name, _ = os.Hostname(); return agent }\n" +
				"func (a *Agent) ID() string { return a.id }\nfunc (a *Agent) HostName() string { return a.host.Name }\n" +
				"func main(c net.Conn) { a := New()\nc.Write([]byte(a.ID()))\nc.Write([]byte(a.HostName()))\nc.Write([]byte(a.id)) }"}},
			[]string{"a.go:10 t/leak"}},
		{"a keyed literal keeps its fields apart", []file{{"a.go",
			"package a\nimport (\"net\"; \"os\")\ntype Config struct { ID string; Mode string }\n" +
				"func use(c net.Conn, cfg Config) {\nc.Write([]byte(cfg.Mode)) }\nfunc useID(c net.Conn, cfg Config) {\nc.Write([]byte(cfg.ID)) }\n" +
				"func main(c net.Conn) { h, _ := os.Hostname(); cfg := Config{ID: h, Mode: \"quiet\"}; use(c, cfg); useID(c, cfg) }"}},
			[]string{"a.go:7 t/leak"}},
		{"a variable replaced before it is read again does not carry what it held", []file{{"a.go",
			"package a\nimport (\"net\"; \"os\")\nfunc f(c net.Conn) { h, _ := os.Hostname(); data := []byte(h)\nc.Write(data)\n" +
				"data = []byte(\"ping\")\nc.Write(data)\nif len(h) > 3 { data = []byte(h) }\nc.Write(data) }"}},
			[]string{"a.go:4 t/leak", "a.go:8 t/leak"}},
		{"a pointer reset in C", []file{{"a.c",
			"void f(int s){ char b[8], q[8]; char *p; GetName(b); p = b;\nsend(s, p, 8, 0);\np = q;\nsend(s, p, 8, 0); }\n" +
				"void g(int s){ char b[8], q[8]; char *p; GetName(b); p = q;\nfor (int i = 0; i < 2; i++) {\nsend(s, p, 8, 0); p = b; } }"}},
			[]string{"a.c:2 t/leak", "a.c:7 t/leak"}},
		{"a rule's sanitizer stops the data inside a helper too", []file{{"a.c",
			"static char *clean(char *v) { return redact(v); }\nstatic char *keep(char *v) { return other(v); }\n" +
				"void f(int s){ char b[8]; GetName(b);\nsend(s, clean(b), 8, 0);\nsend(s, keep(b), 8, 0); }"}},
			[]string{"a.c:5 t/leak"}},
		{"a write through a cursor pointer lands in its buffer", []file{{"a.c",
			"void f(int s){ char b[8], k[8]; char *cp = b; GetName(k); *cp++ = k[0];\nsend(s, b, 8, 0); }\n" +
				"void g(int s){ char b[8], o[8], k[8]; char *cp = b; cp = o; GetName(k); *cp = k[0];\nsend(s, b, 8, 0); }"}},
			[]string{"a.c:2 t/leak"}},
		{"a libcurl write callback is network input", []file{
			{"a.c", "size_t on_data(char *d, size_t a, size_t b, void *u) {\nsend(1, d, a * b, 0); return a * b; }"},
			{"b.c", "void f(void *c) { curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data); }"}},
			[]string{"a.c:2 t/leak"}},
		{"a GetProcAddress result stored in a field, called elsewhere", []file{
			{"a.c", "struct api { int (*pSend)(int, const char *, int, int); } g_api;\nvoid load(void *h) { g_api.pSend = (void *)GetProcAddress(h, \"send\"); }"},
			{"b.c", "void f(int s) { char b[8]; GetName(b);\ng_api.pSend(s, b, 8, 0); }"}},
			[]string{"b.c:2 t/leak"}},
		{"a command table dispatcher", []file{{"a.c", "static void run(const char *a) { system(a); }\nstatic void del(const char *a) { unlink(a); }\nstruct cmd { const char *n; void (*f)(const char *); };\nstatic struct cmd cmds[] = { {\"run\", run}, {\"del\", del} };\nvoid loop(int s) { char b[64]; recv(s, b, 64, 0);\nfor (int i = 0; i < 2; i++) if (!strcmp(b, cmds[i].n)) cmds[i].f(b); }"}},
			[]string{"a.c:1 t/exec", "a.c:6 t/dispatch"}},
		{"a command table defined in another file", []file{
			{"a.c", "void run(const char *a) { system(a); }\nvoid del(const char *a) { unlink(a); }\nstruct cmd { const char *n; void (*f)(const char *); };\nstruct cmd cmds[] = { {\"run\", run}, {\"del\", del} };"},
			{"b.c", "extern struct cmd cmds[];\nvoid loop(int s) { char b[64]; recv(s, b, 64, 0);\nfor (int i = 0; i < 2; i++) if (!strcmp(b, cmds[i].n))\nputs(b); }"}},
			[]string{"b.c:3 t/dispatch"}},
		{"std::string::compare with a position and a length", []file{{"a.cpp",
			"void f(int s) { char b[64]; recv(s, b, 64, 0); std::string m = b;\nif (m.compare(0, 4, \"run \") == 0) system(b);\nelse if (m.compare(0, 4, \"del \") == 0) unlink(b); }"}},
			[]string{"a.cpp:2 t/dispatch", "a.cpp:2 t/exec"}},
		{"scoped enumerators are constants", []file{{"a.cpp",
			"enum class Op { Exec, Del };\nvoid f(int s) { Op op; recv(s, &op, 1, 0);\nif (op == Op::Exec) system(\"x\");\nelse if (op == Op::Del) unlink(\"y\"); }"}},
			[]string{"a.cpp:3 t/dispatch"}},
		{"comparisons without actions are not a dispatcher", []file{{"a.c", "void f(int s) { char b[8]; recv(s, b, 8, 0);\nif (!strcmp(b, \"a\")) puts(\"a\"); else if (!strcmp(b, \"b\")) puts(\"b\"); }"}}, nil},
		{"a chain: a path from the network, then its file sent", []file{{"a.c", "void f(int s) { char p[64], d[64]; recv(s, p, 64, 0);\nvoid *fp = fopen(p, \"r\");\nfread(d, 1, 64, fp);\nsend(s, d, 64, 0); }"}},
			nil},
		{"Go across packages", []file{
			{"agent/collect/c.go", "package collect\nimport \"os\"\nfunc Host() string { h, _ := os.Hostname(); return h }"},
			{"agent/main.go", "package main\nimport (\"net\"\n\"example.com/agent/collect\")\nfunc main() { c, _ := net.Dial(\"tcp\", \"x:1\")\nc.Write([]byte(collect.Host())) }"}},
			[]string{"agent/main.go:5 t/leak"}},
		{"Go method value", []file{{"a.go", "package a\nimport (\"net\"\n\"os\")\nfunc f(c net.Conn) { h, _ := os.Hostname(); w := c.Write\nw([]byte(h)) }"}},
			[]string{"a.go:5 t/leak"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := link(t, tc.files...)
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestChain checks the then-step: the file a server names is opened, and what is read from
// it is sent.
func TestChain(t *testing.T) {
	lib := "void f(int s) { char p[64], d[64]; recv(s, p, 64, 0);\nvoid *fp = fopen(p, \"r\");\nfread(d, 1, 64, fp);\nsend(s, d, 64, 0); }"
	// fread is not in the test library, so the handle does not reach the buffer: no chain.
	if got, _ := link(t, file{"a.c", lib}); slices.Contains(got, "a.c:2 t/chain") {
		t.Errorf("chain without a way from the handle to the data: %q", got)
	}
	withRead := strings.Replace(lib, "fread(d, 1, 64, fp);", "memcpy(d, fp, 64);", 1)
	got, fs := link(t, file{"a.c", withRead})
	if !slices.Contains(got, "a.c:2 t/chain") {
		t.Fatalf("findings = %q, want the chain at the fopen", got)
	}
	for _, f := range fs {
		if f.RuleID == "t/chain" && !strings.Contains(f.Message, "then sent by send") {
			t.Errorf("message %q does not say where the data went next", f.Message)
		}
	}
}

// TestDispatcherProperties checks what a dispatcher result says: its vocabulary and the
// actions of each command.
func TestDispatcherProperties(t *testing.T) {
	_, fs := link(t, file{"a.c", "void f(int s) { char b[64]; recv(s, b, 64, 0);\nswitch (b[0]) {\ncase 'x': system(b + 1); break;\ncase 'd': unlink(b + 1); break;\ncase 'q': break; } }"})
	var d *finding.Finding
	for i := range fs {
		if fs[i].RuleID == "t/dispatch" {
			d = &fs[i]
		}
	}
	if d == nil {
		t.Fatal("no dispatcher")
	}
	vocab, _ := d.Properties["vocabulary"].([]string)
	cmds, _ := d.Properties["commands"].(map[string][]string)
	if !slices.Equal(vocab, []string{"d", "q", "x"}) || !slices.Equal(cmds["x"], []string{"exec (system)"}) || !slices.Equal(cmds["d"], []string{"delete (unlink)"}) || len(cmds["q"]) != 0 {
		t.Errorf("vocabulary %v, commands %v", vocab, cmds)
	}
	if d.Location.Region.StartLine != 3 || !strings.HasPrefix(d.Message, "'d', 'q', 'x' -> delete, exec") {
		t.Errorf("dispatcher at line %d: %q", d.Location.Region.StartLine, d.Message)
	}
	if len(d.Flow) < 2 || !strings.Contains(d.Flow[0].Message, "input read by recv") {
		t.Errorf("flow %+v does not start at the source", d.Flow)
	}
}

// TestLinkIsDeterministic links the same files in two orders.
func TestLinkIsDeterministic(t *testing.T) {
	files := []file{
		{"a.c", "int send_all(int s, const char *p, int n) {\nreturn send(s, p, n, 0); }"},
		{"b.c", "void f(int s){ char b[8];\nGetName(b);\nsend_all(s, b, 8); }"},
		{"c.c", "char g[8];\nvoid i(void) { GetName(g); }\nvoid j(int s) { send_all(s, g, 8); }"},
	}
	_, one := link(t, files...)
	_, two := link(t, files[2], files[0], files[1])
	sort.Slice(one, func(i, j int) bool { return finding.Compare(one[i], one[j]) < 0 })
	sort.Slice(two, func(i, j int) bool { return finding.Compare(two[i], two[j]) < 0 })
	if fmt.Sprint(one) != fmt.Sprint(two) {
		t.Errorf("link depends on the order of results:\n%v\n%v", one, two)
	}
}

// queryPack gives every role by a tree-sitter query: the environ global as a source, a
// packet field as a sink, a redaction macro as a sanitizer, and a vendor copy macro as a
// propagator.
const queryPack = `pack: q
version: 1.0.0
rules:
  - id: q/leak
    name: Leak
    severity: error
    languages: [c]
    message: "{source} reaches {sink}"
    help: h
    taint:
      sources:
        - kind: environment
          label: the environment
          query:
            c: '((identifier) @match (#eq? @match "environ"))'
        - kind: host
          label: name
          calls: [GetName]
          out: arg0
      sinks:
        - kind: packet
          label: put in a packet
          query:
            c: '(assignment_expression left: (field_expression field: (field_identifier) @f (#eq? @f "payload")) right: (_) @match)'
      sanitizers:
        - query:
            c: '(call_expression function: (identifier) @n (#eq? @n "REDACT") arguments: (argument_list (_) @match))'
      propagators:
        - query:
            c: '(call_expression function: (identifier) @n (#eq? @n "VCOPY") arguments: (argument_list . (_) @to . (_) @from))'
`

func TestQueryModels(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"a query source reaches a query sink", "void f(struct pkt *p) {\np->payload = environ[0]; }", []string{"a.c:2 q/leak"}},
		{"a call source reaches a query sink", "void f(struct pkt *p) { char b[8]; GetName(b);\np->payload = b; }", []string{"a.c:2 q/leak"}},
		{"other fields are no sink", "void f(struct pkt *p) {\np->header = environ[0]; }", nil},
		{"a query sanitizer stops the data", "void f(struct pkt *p) { char b[8]; GetName(b);\np->payload = REDACT(b); }", nil},
		{"a query propagator moves the data", "void f(struct pkt *p) { char b[8], c[8]; GetName(b); VCOPY(c, b);\np->payload = c; }", []string{"a.c:2 q/leak"}},
		{"without the propagator the copy is unknown", "void f(struct pkt *p) { char b[8], c[8]; GetName(b); OTHER(c, b);\np->payload = c; }", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fs := linkPack(t, queryPack, file{"a.c", tc.src})
			if !slices.Equal(got, tc.want) {
				t.Errorf("findings = %q, want %q", got, tc.want)
			}
			for _, f := range fs {
				if strings.Contains(f.Message, "query:") {
					t.Errorf("message shows an internal name: %q", f.Message)
				}
			}
		})
	}
}

// TestDispatchDefault: a switch's default branch is part of a dispatcher's vocabulary, as
// "(any other)", with its actions, but does not count as a command of its own.
func TestDispatchDefault(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the message, or "" for no dispatcher
	}{
		{"a case and a default are one command", "void f(int s){ char b[64]; recv(s, b, 64, 0);\nswitch (b[0]) { case 'r': unlink(b); break; default: system(b); } }", ""},
		{"two cases and a default", "void f(int s){ char b[64]; recv(s, b, 64, 0);\nswitch (b[0]) { case 'r': unlink(b); break; case 'q': break; default: system(b); } }",
			"'(any other)', 'q', 'r' -> delete, exec."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, fs := link(t, file{"a.c", tc.src})
			got := ""
			for _, f := range fs {
				if f.RuleID == "t/dispatch" {
					got = f.Message
				}
			}
			if got != tc.want {
				t.Errorf("dispatcher = %q, want %q", got, tc.want)
			}
		})
	}
}
