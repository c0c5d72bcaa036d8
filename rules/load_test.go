package rules

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

const goodPack = `pack: mine
version: 1.2.0
description: A reviewer's pack.
rules:
  - id: mine/system
    name: Shell command
    severity: warning
    security-severity: 6.5
    precision: high
    languages: [c, cpp]
    tags: [exec]
    attack: [T1059]
    cwe: [CWE-78]
    message: "{api} runs {arg0}"
    help: Runs a shell command.
    calls:
      - names: [system, "std::system"]
        args:
          - index: 0
            constant: false
  - id: mine/winapi
    name: Process creation
    severity: error
    languages: [c]
    message: "{api} starts a process ({family})"
    help: Starts a process.
    calls:
      - names: [CreateProcess]
        variants: winapi
        properties: {family: win32}
  - id: mine/url
    name: URL literal
    severity: note
    languages: [go]
    message: "URL {endpoint} in {match}"
    help: A URL.
    query:
      go: |
        ((interpreted_string_literal) @match (#is-endpoint? @match url))
`

func TestLoadGood(t *testing.T) {
	p, err := Load("mine.yaml", []byte(goodPack))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "mine" || p.Version != "1.2.0" || len(p.Rules) != 3 || len(p.Digest) != 64 {
		t.Fatalf("pack = %+v", p)
	}
	sys := p.Rules[0]
	if sys.Severity != finding.Warning || sys.SecuritySeverity != 6.5 || sys.Line != 5 || sys.Pack != p {
		t.Errorf("rule metadata = %+v", sys)
	}
	g := sys.Calls[0]
	if strings.Join(g.Names(), ",") != "system,std::system" || len(g.Languages) != 2 {
		t.Errorf("names %v languages %v", g.Names(), g.Languages)
	}
	if a := g.Args[0]; a.Index != 0 || a.Constant == nil || *a.Constant {
		t.Errorf("arg check = %+v", a)
	}
	win := p.Rules[1]
	if got := strings.Join(win.Calls[0].Names(), ","); got != "CreateProcess,CreateProcessA,CreateProcessW,CreateProcessEx,CreateProcessExA,CreateProcessExW" {
		t.Errorf("winapi variants = %s", got)
	}
	if win.SecuritySeverity != 7.0 || win.Precision != "medium" {
		t.Errorf("defaults: security-severity %v precision %q", win.SecuritySeverity, win.Precision)
	}
	if q := p.Rules[2].Query; q.Capture != "match" || q.Source[source.Go] == "" {
		t.Errorf("query = %+v", q)
	}
}

// TestLoadErrors proves that every kind of bad pack is refused with the file, the line and
// what is wrong.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // each must appear in the error text
	}{
		{"unknown field with suggestion", strings.Replace(goodPack, "    message: \"{api} runs {arg0}\"", "    mesage: \"{api} runs {arg0}\"", 1),
			[]string{`mine.yaml:14: rule "mine/system": unknown field "mesage" (did you mean "message"?)`}},
		{"unknown nested field", strings.Replace(goodPack, "            constant: false", "            constnat: false", 1),
			[]string{`mine.yaml:20: rule "mine/system": unknown field "constnat" (did you mean "constant"?)`}},
		{"unknown top-level field", "pack: x\nversoin: 1.0.0\nrules: []\n",
			[]string{`mine.yaml:2: unknown field "versoin" (did you mean "version"?)`}},
		{"bad query", strings.Replace(goodPack, "((interpreted_string_literal) @match", "((interpreted_strin_literal) @match", 1),
			[]string{`mine.yaml:39: rule "mine/url": query (go): invalid node type 'interpreted_strin_literal'`}},
		{"query syntax error", strings.Replace(goodPack, "(#is-endpoint? @match url))", "(#is-endpoint? @match url)", 1),
			[]string{`rule "mine/url": query (go): invalid syntax`}},
		{"unknown predicate", strings.Replace(goodPack, "#is-endpoint?", "#is-endpont?", 1),
			[]string{`rule "mine/url": query (go): unknown predicate #is-endpont?`}},
		{"missing capture", strings.Replace(goodPack, "@match (#is-endpoint? @match url)", "@m (#is-endpoint? @m url)", 1),
			[]string{`no capture @match`}},
		{"duplicate id", strings.Replace(goodPack, "id: mine/winapi", "id: mine/system", 1),
			[]string{`mine.yaml:21: rule "mine/system": duplicate rule id (first defined at line 5)`}},
		{"unknown language", strings.Replace(goodPack, "languages: [c, cpp]", "languages: [c, rust]", 1),
			[]string{`mine.yaml:10: rule "mine/system": languages: unknown language "rust"`}},
		{"bad severity", strings.Replace(goodPack, "severity: warning", "severity: critical", 1),
			[]string{`mine.yaml:7: rule "mine/system": severity: want error, warning or note, got "critical"`}},
		{"security severity range", strings.Replace(goodPack, "security-severity: 6.5", "security-severity: 11", 1),
			[]string{`security-severity: want a score from 0.0 to 10.0`}},
		{"type error", strings.Replace(goodPack, "security-severity: 6.5", "security-severity: high", 1),
			[]string{`mine.yaml:8: cannot unmarshal`}},
		{"bad attack id", strings.Replace(goodPack, "attack: [T1059]", "attack: [T159]", 1),
			[]string{`attack: "T159" is not an ATT&CK technique id`}},
		{"bad cwe id", strings.Replace(goodPack, "cwe: [CWE-78]", "cwe: [78]", 1),
			[]string{`cwe: "78" is not a CWE id`}},
		{"unknown placeholder", strings.Replace(goodPack, "{api} runs {arg0}", "{api} runs {argument}", 1),
			[]string{`message: unknown placeholder {argument}`}},
		{"placeholder missing in a group", strings.Replace(goodPack, "({family})", "({famly})", 1),
			[]string{`unknown placeholder {famly}`}},
		{"two match kinds", strings.Replace(goodPack, "    query:\n", "    calls: [{names: [x]}]\n    query:\n", 1),
			[]string{`rule "mine/url": a rule needs exactly one match kind`}},
		{"name for no language of the rule", strings.Replace(goodPack, `names: [system, "std::system"]`, `names: [system, os.Hostname]`, 1),
			[]string{`"os.Hostname" looks like a go name, which is not among the rule's languages`}},
		{"bad regex", strings.Replace(goodPack, "            constant: false", "            regex: '(['", 1),
			[]string{`args: regex: error parsing regexp`}},
		{"missing required fields", "pack: x\nversion: 1.0.0\nrules:\n  - id: x/y\n    calls: [{names: [f]}]\n    languages: [c]\n",
			[]string{`mine.yaml:4: rule "x/y": name: required`, `severity: want error, warning or note`, `message: required`, `help: required`}},
		{"not yaml", "pack: [x\n", []string{`mine.yaml:1:`}},
		{"empty", "", []string{`mine.yaml:1: empty file`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("mine.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("Load accepted a bad pack")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%s\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

func TestSetDuplicatesAcrossPacksAndSelect(t *testing.T) {
	a, err := Load("a.yaml", []byte(goodPack))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load("b.yaml", []byte(strings.Replace(goodPack, "pack: mine", "pack: other", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = NewSet(a, b)
	if err == nil || !strings.Contains(err.Error(), `b.yaml:5: rule "mine/system": duplicate rule id (also defined at a.yaml:5)`) {
		t.Fatalf("NewSet error = %v", err)
	}
	s, err := NewSet(a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Select([]string{"nope"}); err == nil || !strings.Contains(err.Error(), `no pack named "nope" (loaded: mine)`) {
		t.Errorf("Select error = %v", err)
	}
	if got, _ := s.Select([]string{"mine"}); got.Rule("mine/url") == nil {
		t.Error("Select dropped a rule of the selected pack")
	}
	if s.Digest() == "" || s.Digest() != (&Set{Packs: []*Pack{a}}).Digest() {
		t.Error("digest is not a function of the packs")
	}
}

func TestLoadPathDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(goodPack), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a pack"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.yml"), []byte("pack: b\nversion: 1.0.0\nrules:\n  - id: b/x\n    nme: x\n"), 0o644)
	_, err := LoadPath(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "b.yml")+`:5: rule "b/x": unknown field "nme"`) {
		t.Fatalf("LoadPath error = %v", err)
	}
	if _, err := LoadPath(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("LoadPath accepted a missing file")
	}
}

// TestBuiltinPacksLoad keeps the shipped packs valid.
func TestBuiltinPacksLoad(t *testing.T) {
	packs, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	set, err := NewSet(packs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Rules()) == 0 {
		t.Fatal("no built-in rules")
	}
	for _, r := range set.Rules() {
		if !strings.HasPrefix(r.ID, r.Pack.Name+"/") {
			t.Errorf("built-in rule %s is not named after its pack %s", r.ID, r.Pack.Name)
		}
		for _, id := range r.Attack {
			if AttackName(id) == "" {
				t.Errorf("rule %s: ATT&CK %s has no name in the taxonomy table", r.ID, id)
			}
		}
		for _, id := range r.CWE {
			if CWEName(id) == "" {
				t.Errorf("rule %s: %s has no name in the taxonomy table", r.ID, id)
			}
		}
	}
}

// taintQueryPack is a taint rule whose source and sink are queries; %s stands for extra
// sink fields or a replacement.
const taintQueryPack = `pack: q
version: 1.0.0
rules:
  - id: q/leak
    name: Leak
    severity: error
    languages: [c, go]
    message: "{source} reaches {sink}"
    help: h
    taint:
      sources:
        - kind: environment
          query:
            c: '((identifier) @match (#eq? @match "environ"))'
      sinks:
        - kind: packet
          query:
            c: '(assignment_expression right: (_) @match)'
`

func TestQueryModels(t *testing.T) {
	p, err := Load("q.yaml", []byte(taintQueryPack))
	if err != nil {
		t.Fatal(err)
	}
	src := p.Rules[0].Taint.Sources[0]
	if src.Query == nil || len(src.Callees) != 1 || !IsQueryCallee(src.Callees[0].Name) ||
		!slices.Equal(src.Callees[0].Langs, []source.Lang{source.C}) || !src.Out.Has(PosReturn) {
		t.Errorf("query source = %+v", src)
	}
	if snk := p.Rules[0].Taint.Sinks[0]; !snk.Arg.Has(0) || snk.Callees[0].Name == src.Callees[0].Name {
		t.Errorf("query sink = %+v", snk)
	}

	tests := []struct {
		name, old, new, want string
	}{
		{"query and calls", "          query:\n            c: '(assignment", "          calls: [send]\n          query:\n            c: '(assignment",
			`q.yaml:16: rule "q/leak": sinks: a query model takes only kind, label and query`},
		{"missing capture", "right: (_) @match", "right: (_) @m", `sinks: query (c): no capture @match`},
		{"bad query", "(assignment_expression", "(assignment_expressio", `query (c): invalid node type`},
		{"language not of the rule", "            c: '(assignment", "            cpp: '(assignment",
			`sinks: query: cpp is not among the rule's languages`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("q.yaml", []byte(strings.Replace(taintQueryPack, tc.old, tc.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	prop := strings.Replace(taintQueryPack, "      sinks:", "      propagators:\n        - query:\n            c: '(call_expression arguments: (argument_list (_) @to))'\n      sinks:", 1)
	if _, err := Load("q.yaml", []byte(prop)); err == nil || !strings.Contains(err.Error(), "propagators: query (c): no capture @from") {
		t.Errorf("a propagator query without @from: error = %v", err)
	}
}

// Selecting rule packs keeps the library packs their taint rules rely on.
func TestSelectKeepsLibraries(t *testing.T) {
	packs, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSet(packs...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Select([]string{"remote-command"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got.Packs {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"dataflow", "remote-command"}) {
		t.Errorf("Select(remote-command) kept %v, want [dataflow remote-command]", names)
	}
	for _, r := range got.Rules() {
		if r.Pack.Name != "remote-command" {
			t.Errorf("Select(remote-command) kept rule %s of pack %s", r.ID, r.Pack.Name)
		}
	}
}

func TestDispatchCommand(t *testing.T) {
	d := &Dispatch{}
	for c, want := range map[string]bool{"exec": true, "0": true, "e": true, "OP_RUN": true, "!": false, ".": false, "#": false} {
		if got := d.Command(c); got != want {
			t.Errorf("Command(%q) = %v, want %v", c, got, want)
		}
	}
}
