package syntax

import (
	"path"
	"strconv"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"

	"glassbox/analyzers/source"
)

// resolver answers "what type is this name?" from declarations in the same file, which is
// as far as a parser can see. It is built on first use, once per tree.
type resolver struct {
	t        *Tree
	imports  map[string]string // Go import name → path
	consts   map[string]bool   // Go names declared const
	goFields map[string]string // Go struct field → type, "" when two structs disagree
	decls    map[string][]decl // variables and parameters by name
}

// decl is one declaration of a name: where it is visible (the enclosing function, or the
// whole file) and its type in the naming convention of Call.Names.
type decl struct {
	from, to uint32 // visibility: the enclosing function's bytes, or the whole file
	at       uint32 // where the declaration starts
	typ      string
}

func (t *Tree) resolver() *resolver {
	if t.res == nil {
		r := &resolver{t: t, imports: map[string]string{}, consts: map[string]bool{},
			goFields: map[string]string{}, decls: map[string][]decl{}}
		if t.Lang == source.Go {
			r.buildGo()
		} else {
			r.buildCPP()
		}
		t.res = r
	}
	return t.res
}

// lookup finds the declaration of name visible at byte offset at: the latest one inside the
// innermost enclosing function, else the file-level one, unless file-level ones disagree.
func (r *resolver) lookup(name string, at uint32) string {
	var best *decl
	var fileTypes map[string]bool
	for i := range r.decls[name] {
		d := &r.decls[name][i]
		if d.from == 0 && d.to == uint32(len(r.t.Src)) {
			if fileTypes == nil {
				fileTypes = map[string]bool{}
			}
			fileTypes[d.typ] = true
			continue
		}
		if d.from <= at && at < d.to && d.at <= at && (best == nil || d.from > best.from || d.from == best.from && d.at > best.at) {
			best = d
		}
	}
	if best != nil {
		return best.typ
	}
	if len(fileTypes) == 1 {
		for typ := range fileTypes {
			return typ
		}
	}
	return ""
}

func (r *resolver) add(name string, n *sitter.Node, typ string) {
	if name == "" || typ == "" {
		return
	}
	from, to := r.t.functionRange(n)
	r.decls[name] = append(r.decls[name], decl{from: from, to: to, at: n.StartByte(), typ: typ})
}

// functionRange returns the bytes of the function enclosing n, or the whole file.
func (t *Tree) functionRange(n *sitter.Node) (uint32, uint32) {
	for p, depth := n.Parent(), 0; p != nil && depth < MaxDepth; p, depth = p.Parent(), depth+1 {
		switch p.Type() {
		case "function_definition", "function_declaration", "method_declaration", "func_literal", "lambda_expression":
			return p.StartByte(), p.EndByte()
		}
	}
	return 0, uint32(len(t.Src))
}

const cppDeclQuerySrc = `
(declaration type: (_) @type declarator: (_) @decl)
(parameter_declaration type: (_) @type declarator: (_) @decl)
(field_declaration type: (_) @type declarator: (_) @decl)
`

var (
	declQueriesOnce sync.Once
	declQueries     map[source.Lang]*Query
)

func declQuery(l source.Lang) *Query {
	declQueriesOnce.Do(func() {
		declQueries = map[source.Lang]*Query{}
		for lang, src := range map[source.Lang]string{source.C: cppDeclQuerySrc, source.CPP: cppDeclQuerySrc, source.Go: goDeclQuerySrc} {
			q, err := CompileQuery(lang, src)
			if err != nil {
				panic("syntax: built-in declaration query does not compile: " + err.Error())
			}
			declQueries[lang] = q
		}
	})
	return declQueries[l]
}

func (r *resolver) buildCPP() {
	declQuery(r.t.Lang).Run(r.t, func(m *Match) {
		typ, d := m.Capture("type"), m.Capture("decl")
		name, value, ok := r.t.declaratorName(d)
		if !ok {
			return
		}
		t := r.t.cppTypeName(typ, 0)
		if t == "auto" || t == "" {
			t = r.t.cppValueType(value)
		}
		r.add(name, d, t)
	})
}

// declaratorName unwraps pointer, reference, array and init declarators to the declared
// name. Function declarators declare functions, not variables, and are refused.
func (t *Tree) declaratorName(d *sitter.Node) (name string, value *sitter.Node, ok bool) {
	for depth := 0; d != nil && depth < MaxDepth; depth++ {
		switch d.Type() {
		case "identifier", "field_identifier":
			return t.Text(d), value, true
		case "init_declarator":
			value = d.ChildByFieldName("value")
			d = d.ChildByFieldName("declarator")
		case "pointer_declarator", "reference_declarator", "array_declarator", "attributed_declarator":
			next := d.ChildByFieldName("declarator")
			if next == nil {
				next = d.NamedChild(0) // reference_declarator has no field name
			}
			d = next
		case "parenthesized_declarator":
			d = d.NamedChild(0)
		default:
			return "", nil, false
		}
	}
	return "", nil, false
}

// smartPointers hold an object of their first template argument; a method called through
// one is a method of that type.
var smartPointers = map[string]bool{
	"unique_ptr": true, "shared_ptr": true, "weak_ptr": true, "auto_ptr": true,
	"CComPtr": true, "CComQIPtr": true, "ComPtr": true, "QPointer": true, "QScopedPointer": true,
	"QSharedPointer": true, "scoped_ptr": true, "intrusive_ptr": true, "_com_ptr_t": true,
}

// cppTypeName writes a declared type the way Call.Names does, seeing through smart pointers.
func (t *Tree) cppTypeName(n *sitter.Node, depth int) string {
	if n == nil || depth > 8 {
		return ""
	}
	switch n.Type() {
	case "qualified_identifier":
		if name := n.ChildByFieldName("name"); name != nil && name.Type() == "template_type" {
			return t.templateTypeName(n, name, depth)
		}
		return normalizeQualified(t.Text(n))
	case "type_identifier", "primitive_type":
		return normalizeQualified(t.Text(n))
	case "placeholder_type_specifier":
		return "auto"
	case "struct_specifier", "class_specifier", "union_specifier":
		return normalizeQualified(t.Text(n.ChildByFieldName("name")))
	case "template_type":
		return t.templateTypeName(n, n, depth)
	case "type_descriptor":
		return t.cppTypeName(n.ChildByFieldName("type"), depth+1)
	}
	return ""
}

// templateTypeName names a template type: the pointee of a smart pointer, else the
// template itself. whole is the type as written (possibly qualified), tmpl its
// template_type part.
func (t *Tree) templateTypeName(whole, tmpl *sitter.Node, depth int) string {
	base := normalizeQualified(t.Text(whole))
	if smartPointers[base[strings.LastIndex(base, ":")+1:]] {
		if args := tmpl.ChildByFieldName("arguments"); args != nil && args.NamedChildCount() > 0 {
			return t.cppTypeName(args.NamedChild(0), depth+1)
		}
	}
	return base
}

// cppValueType infers the type of an `auto` variable from `new T(…)` or
// `std::make_unique<T>(…)`.
func (t *Tree) cppValueType(v *sitter.Node) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case "new_expression":
		return t.cppTypeName(v.ChildByFieldName("type"), 0)
	case "call_expression":
		fn := v.ChildByFieldName("function")
		if fn == nil {
			return ""
		}
		if fn.Type() == "qualified_identifier" {
			fn = fn.ChildByFieldName("name")
		}
		if fn != nil && fn.Type() == "template_function" {
			name := t.Text(fn.ChildByFieldName("name"))
			args := fn.ChildByFieldName("arguments")
			if (name == "make_unique" || name == "make_shared") && args != nil && args.NamedChildCount() > 0 {
				return t.cppTypeName(args.NamedChild(0), 0)
			}
		}
	}
	return ""
}

// cppTypeOf returns the declared type of a member call's receiver: a variable, a parameter,
// a field, or `this` (the enclosing class).
func (r *resolver) cppTypeOf(recv *sitter.Node, at uint32) string {
	if recv == nil {
		return ""
	}
	switch recv.Type() {
	case "identifier", "field_identifier":
		return r.lookup(r.t.Text(recv), at)
	case "this":
		return r.t.enclosingClass(recv)
	case "field_expression":
		if f := recv.ChildByFieldName("field"); f != nil {
			return r.lookup(r.t.Text(f), at)
		}
	case "parenthesized_expression":
		return r.cppTypeOf(recv.NamedChild(0), at)
	case "pointer_expression":
		return r.cppTypeOf(recv.ChildByFieldName("argument"), at)
	}
	return ""
}

const goDeclQuerySrc = `
(import_spec name: (_)? @alias path: (_) @path)
(parameter_declaration name: (identifier) @name type: (_) @type)
(var_spec name: (identifier) @name type: (_) @type)
(var_spec name: (identifier) @name value: (expression_list . (_) @value))
(short_var_declaration left: (expression_list) @left right: (expression_list) @right)
(field_declaration name: (field_identifier) @name type: (_) @type)
(const_spec name: (identifier) @const)
`

func (r *resolver) buildGo() {
	seenField := map[string]bool{}
	declQuery(source.Go).Run(r.t, func(m *Match) {
		switch {
		case m.Capture("path") != nil:
			r.addImport(m.Capture("alias"), m.Capture("path"))
		case m.Capture("const") != nil:
			r.consts[r.t.Text(m.Capture("const"))] = true
		case m.Capture("left") != nil:
			r.addShortVars(m.Capture("left"), m.Capture("right"))
		case m.Capture("name") != nil && m.Capture("name").Type() == "field_identifier":
			name, typ := r.t.Text(m.Capture("name")), r.goTypeName(m.Capture("type"))
			if seenField[name] && r.goFields[name] != typ {
				typ = "" // two structs disagree: a field name alone cannot tell them apart
			}
			seenField[name] = true
			r.goFields[name] = typ
		case m.Capture("type") != nil:
			r.add(r.t.Text(m.Capture("name")), m.Capture("name"), r.goTypeName(m.Capture("type")))
		case m.Capture("value") != nil:
			r.add(r.t.Text(m.Capture("name")), m.Capture("name"), r.goValueType(m.Capture("value")))
		}
	})
}

func (r *resolver) addImport(alias, p *sitter.Node) {
	ip, err := strconv.Unquote(r.t.Text(p))
	if err != nil {
		return
	}
	name := goPackageName(ip)
	if alias != nil {
		name = r.t.Text(alias)
	}
	if name == "_" || name == "." {
		return
	}
	r.imports[name] = ip
}

// goPackageName guesses a package's name from its import path: the last element, without
// a major-version element ("/v2") or a ".v3"-style suffix (gopkg.in).
func goPackageName(ip string) string {
	base := path.Base(ip)
	if len(base) > 1 && base[0] == 'v' && isDigits(base[1:]) && path.Dir(ip) != "." {
		base = path.Base(path.Dir(ip))
	}
	if i := strings.Index(base, ".v"); i > 0 && isDigits(base[i+2:]) {
		base = base[:i]
	}
	return strings.TrimPrefix(strings.TrimSuffix(base, "-go"), "go-")
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// addShortVars pairs `a, b := x, y` by position; `conn, err := net.Dial(…)` gives conn the
// first result of the call.
func (r *resolver) addShortVars(left, right *sitter.Node) {
	ls, rs := namedArgs(left), namedArgs(right)
	for i, l := range ls {
		if l.Type() != "identifier" {
			continue
		}
		if i < len(rs) {
			r.add(r.t.Text(l), l, r.goValueType(rs[i]))
		}
	}
}

// goTypeName writes a Go type the way Call.Names does: "net/http.Client" for *http.Client.
func (r *resolver) goTypeName(n *sitter.Node) string {
	for depth := 0; n != nil && depth < 8; depth++ {
		switch n.Type() {
		case "pointer_type", "parenthesized_type":
			n = n.NamedChild(0)
		case "generic_type":
			n = n.ChildByFieldName("type")
		case "type_identifier":
			return r.t.Text(n)
		case "qualified_type":
			pkg, name := n.ChildByFieldName("package"), n.ChildByFieldName("name")
			if pkg == nil || name == nil {
				return ""
			}
			if p, ok := r.imports[r.t.Text(pkg)]; ok {
				return p + "." + r.t.Text(name)
			}
			return r.t.Text(pkg) + "." + r.t.Text(name)
		default:
			return ""
		}
	}
	return ""
}

// goValueType infers the type of an expression from composite literals, new(T), conversions
// of pointers, and the results of well-known standard library constructors.
func (r *resolver) goValueType(v *sitter.Node) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case "composite_literal":
		return r.goTypeName(v.ChildByFieldName("type"))
	case "unary_expression":
		return r.goValueType(v.ChildByFieldName("operand"))
	case "parenthesized_expression":
		return r.goValueType(v.NamedChild(0))
	case "call_expression":
		fn := v.ChildByFieldName("function")
		if fn == nil {
			return ""
		}
		if fn.Type() == "identifier" && r.t.Text(fn) == "new" {
			if args := namedArgs(v.ChildByFieldName("arguments")); len(args) == 1 {
				return r.goTypeName(args[0])
			}
		}
		if name := r.goPackageFunc(fn); name != "" {
			return goResultTypes[name]
		}
	}
	return ""
}

// goPackageFunc names fn when it is a package function `pkg.F`, else returns "".
func (r *resolver) goPackageFunc(fn *sitter.Node) string {
	if fn.Type() != "selector_expression" {
		return ""
	}
	operand, field := fn.ChildByFieldName("operand"), fn.ChildByFieldName("field")
	if operand == nil || field == nil || operand.Type() != "identifier" {
		return ""
	}
	if p, ok := r.imports[r.t.Text(operand)]; ok {
		return p + "." + r.t.Text(field)
	}
	return ""
}

// goVarType is the declared type of a Go variable visible at a position.
func (r *resolver) goVarType(name string, at uint32) string { return r.lookup(name, at) }

// goResultTypes gives the (first) result type of standard-library constructors whose
// results are the receivers of network and process calls: `conn, _ := net.Dial(…)` then
// `conn.Write(…)` is the Go send.
var goResultTypes = map[string]string{
	"net.Dial": "net.Conn", "net.DialTimeout": "net.Conn", "net.DialTCP": "net.TCPConn",
	"net.DialUDP": "net.UDPConn", "net.DialIP": "net.IPConn", "net.DialUnix": "net.UnixConn",
	"net.Listen": "net.Listener", "net.ListenTCP": "net.TCPListener", "net.ListenUDP": "net.UDPConn",
	"net.ListenPacket": "net.PacketConn", "net.FileConn": "net.Conn",
	"crypto/tls.Dial": "crypto/tls.Conn", "crypto/tls.DialWithDialer": "crypto/tls.Conn",
	"crypto/tls.Client": "crypto/tls.Conn", "crypto/tls.Server": "crypto/tls.Conn",
	"crypto/tls.Listen":   "net.Listener",
	"net/http.NewRequest": "net/http.Request", "net/http.NewRequestWithContext": "net/http.Request",
	"net/http.Get": "net/http.Response", "net/http.Post": "net/http.Response",
	"net/http.PostForm": "net/http.Response", "net/http.Head": "net/http.Response",
	"net/rpc.Dial": "net/rpc.Client", "net/rpc.DialHTTP": "net/rpc.Client", "net/smtp.Dial": "net/smtp.Client",
	"net/url.Parse": "net/url.URL", "os.Open": "os.File", "os.Create": "os.File", "os.OpenFile": "os.File",
	"bufio.NewReader": "bufio.Reader", "bufio.NewWriter": "bufio.Writer", "bufio.NewScanner": "bufio.Scanner",
	"os/exec.Command": "os/exec.Cmd", "os/exec.CommandContext": "os/exec.Cmd",
}

// goPackageVars gives the types of standard-library package variables used as receivers.
var goPackageVars = map[string]string{
	"net/http.DefaultClient": "net/http.Client", "net.DefaultResolver": "net.Resolver",
	"os.Stdin": "os.File", "os.Stdout": "os.File", "os.Stderr": "os.File",
}
