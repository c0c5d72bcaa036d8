package taint

import (
	"fmt"
	"path"
	"strings"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

// Summary is what Extract learns about one file.
type Summary struct {
	Functions []finding.Function
	Tables    []finding.Table
	Stores    []finding.Store
	Members   []finding.Member
	Classes   []finding.Class
	// Truncated names functions whose graphs were cut at MaxEdges.
	Truncated []string
}

// Extract summarises every function of a parsed file. path is the file's slash path in the
// scan, text its decoded content (for locations); queries are the query models of the
// file's language (Queries.For).
func Extract(t *syntax.Tree, text *source.Text, filePath string, queries ...QueryModel) Summary {
	x := &extractor{t: t, text: text, path: filePath, calls: map[syntax.Node]*syntax.Call{},
		statics: map[string]bool{}, globals: map[string]bool{}, dir: path.Dir(filePath),
		qvalue: map[syntax.Node][]qhit{}, qstmt: map[syntax.Node][]qhit{}}
	for _, c := range t.Calls() {
		x.calls[c.Node] = c
	}
	x.runQueries(queries)
	x.fileScope()
	for _, fn := range t.Functions() {
		x.function(fn)
	}
	for _, m := range t.Members() {
		x.sum.Members = append(x.sum.Members, finding.Member{Owner: m.Owner, Field: m.Field, Type: m.Type})
	}
	for _, c := range t.Classes() {
		x.sum.Classes = append(x.sum.Classes, finding.Class{Name: c.Name, Bases: c.Bases})
	}
	return x.sum
}

// extractor holds what is known of the file while its functions are summarised.
type extractor struct {
	t       *syntax.Tree
	text    *source.Text
	path    string
	dir     string
	calls   map[syntax.Node]*syntax.Call
	statics map[string]bool        // C/C++ names declared static at file scope
	globals map[string]bool        // C/C++ variables declared at file scope
	qvalue  map[syntax.Node][]qhit // expressions source and sanitizer queries captured
	qstmt   map[syntax.Node][]qhit // sinks and propagators queries found, by function
	sum     Summary
}

// fileScope reads what lives at file scope: static names, and the command tables of static
// initializers.
func (x *extractor) fileScope() {
	t := x.t
	for c := t.FirstChild(t.Root); c >= 0; c = t.Next(c) {
		x.fileDecl(c, 0)
	}
}

func (x *extractor) fileDecl(n syntax.Node, depth int) {
	t := x.t
	switch t.Kind(n) {
	case "declaration", "function_definition":
		static := false
		for c := t.FirstChild(n); c >= 0; c = t.Next(c) {
			if t.Kind(c) == "storage_class_specifier" && t.Text(c) == "static" {
				static = true
			}
		}
		for _, d := range t.Children(n, "declarator") {
			name := declName(t, d)
			if static && name != "" {
				x.statics[name] = true
			}
			if t.Kind(n) == "declaration" && name != "" && !(t.Kind(d) == "function_declarator" && t.Kind(t.Child(d, "declarator")) == "identifier") {
				x.globals[name] = true // a variable (extern or defined), not a function prototype
			}
			if v := t.Child(d, "value"); v >= 0 && t.Kind(d) == "init_declarator" {
				x.table(name, v)
				x.globalProc(name, v)
			}
		}
	case "linkage_specification", "namespace_definition", "declaration_list", "preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif":
		if depth < 8 {
			for c := t.FirstChild(n); c >= 0; c = t.Next(c) {
				x.fileDecl(c, depth+1)
			}
		}
	case "var_declaration", "var_spec_list":
		for c := t.FirstChild(n); c >= 0; c = t.Next(c) {
			if t.Kind(c) == "var_spec_list" && depth < 8 {
				x.fileDecl(c, depth+1) // var ( … )
			}
			if t.Kind(c) == "var_spec" {
				for i, v := range t.NamedChildren(t.Child(c, "value")) {
					names := t.Children(c, "name")
					if i < len(names) {
						x.table(t.Text(names[i]), v)
						x.globalProc(t.Text(names[i]), v)
					}
				}
			}
		}
	}
}

// globalProc records a global initialised with an API looked up by name: Go's
// `procSend = ws2.NewProc("send")`, C's `static pfn pSend = GetProcAddress(h, "send");`.
func (x *extractor) globalProc(name string, v syntax.Node) {
	if r := unwrap(x.t, v); x.t.Kind(r) == "call_expression" && name != "" {
		if api := x.procName(r); api != "" {
			x.sum.Stores = append(x.sum.Stores, finding.Store{Into: name, API: api})
		}
	}
}

// declName finds the declared name in a (possibly initialised, pointer, array) declarator.
func declName(t *syntax.Tree, d syntax.Node) string {
	for depth := 0; d >= 0 && depth < 16; depth++ {
		switch t.Kind(d) {
		case "identifier", "field_identifier":
			return t.Text(d)
		case "init_declarator", "pointer_declarator", "array_declarator", "reference_declarator",
			"function_declarator", "attributed_declarator", "parenthesized_declarator":
			next := t.Child(d, "declarator")
			if next < 0 {
				next = t.NamedChild(d, 0)
			}
			d = next
		default:
			return ""
		}
	}
	return ""
}

// loc is the location of a node.
func (x *extractor) loc(n syntax.Node) finding.Location {
	r := x.text.Region(x.t.Start(n), x.t.End(n))
	r.Snippet = brief(r.Snippet)
	return finding.Location{Path: x.path, Region: r}
}

func (x *extractor) step(n syntax.Node, format string, args ...any) finding.Step {
	return finding.Step{Location: x.loc(n), Message: fmt.Sprintf(format, args...)}
}

// brief shortens code for a message or a hop: one line, at most 80 characters.
func brief(code string) string {
	code = strings.Join(strings.Fields(code), " ")
	if r := []rune(code); len(r) > 80 {
		return string(r[:77]) + "…"
	}
	return code
}

// function summarises one function definition.
func (x *extractor) function(fn syntax.Node) {
	t := x.t
	f := &fnState{x: x, fn: fn, locals: map[string]bool{}, paramIdx: map[string]int{},
		through: map[string]bool{}, callIdx: map[syntax.Node]int{}, closures: map[string]syntax.Node{},
		qcalls: map[qkey]int{}, vers: map[syntax.Node]string{}, aliases: map[string]string{}, gotten: map[string]bool{}}
	f.class = t.EnclosingClass(fn)
	f.out = finding.Function{Name: t.FunctionName(fn), Lang: string(t.Lang), Location: x.loc(nameNode(t, fn))}
	f.g = newGraph(f.globalKey)
	f.params()
	f.out.ID = x.functionID(fn, f.out.Name, f.out.Params)
	f.declareLocals()
	f.versions()
	stores := len(x.sum.Stores)
	f.body()
	f.keepGotten(stores)
	f.fieldOuts()
	f.fieldPorts()
	f.g.resolve()
	var complete bool
	f.out.Nodes, f.out.Edges, f.out.Steps, complete = f.g.export()
	if !complete {
		x.sum.Truncated = append(x.sum.Truncated, f.out.Name)
	}
	x.sum.Functions = append(x.sum.Functions, f.out)
}

// nameNode is the node that names a function, for its location.
func nameNode(t *syntax.Tree, fn syntax.Node) syntax.Node {
	if n := t.Child(fn, "name"); n >= 0 {
		return n
	}
	d := t.Child(fn, "declarator")
	for depth := 0; d >= 0 && depth < 16; depth++ {
		if t.Kind(d) == "function_declarator" {
			return t.Child(d, "declarator")
		}
		next := t.Child(d, "declarator")
		if next < 0 {
			break
		}
		d = next
	}
	return fn
}

// functionID names a function for linking. C static functions are scoped to their file, Go
// functions to their package directory; C++ overloads differ by arity.
func (x *extractor) functionID(fn syntax.Node, name string, params int) string {
	switch x.t.Lang {
	case source.Go:
		return "go:" + x.dir + ":" + name
	case source.CPP:
		id := fmt.Sprintf("cpp:%s/%d", name, params)
		if x.statics[name] {
			id += "@" + x.path
		}
		return id
	}
	if x.statics[name] {
		return "c:" + name + "@" + x.path
	}
	return "c:" + name
}
