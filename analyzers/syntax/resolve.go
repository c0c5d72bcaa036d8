package syntax

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"glassbox/analyzers/source"
)

// resolver answers "what type is this name?" from declarations in the same file, which is
// as far as a parser can see. It is filled by the tree's index.
type resolver struct {
	t        *Tree
	imports  map[string]string // Go import name → path
	consts   map[string]bool   // Go names declared const
	goFields map[string]string // Go struct field → type, "" when two structs disagree
	decls    map[string][]*decl
	// pending declaration nodes are read on the first question about a type: most files
	// never ask (C has no methods).
	pending []Node
	loaded  bool
}

// decl is one declaration of a name with its type in the naming convention of Call.Names.
// Its visibility (the enclosing function, or the whole file) is found on first lookup: most
// declarations are never asked about.
type decl struct {
	node     Node
	typ      string
	scoped   bool
	from, to uint32
}

func newResolver(t *Tree) *resolver {
	return &resolver{t: t, imports: map[string]string{}, consts: map[string]bool{},
		goFields: map[string]string{}, decls: map[string][]*decl{}}
}

func (t *Tree) resolver() *resolver {
	t.index()
	return t.res
}

func (d *decl) scope(t *Tree) (uint32, uint32) {
	if !d.scoped {
		d.from, d.to = t.functionRange(d.node)
		d.scoped = true
	}
	return d.from, d.to
}

// load reads the pending declarations, once.
func (r *resolver) load() {
	if r.loaded {
		return
	}
	r.loaded = true
	seenField := map[string]bool{}
	for _, n := range r.pending {
		switch r.t.Kind(n) {
		case "declaration", "parameter_declaration", "field_declaration", "optional_parameter_declaration":
			if r.t.Lang == source.Go {
				r.goDecl(n, seenField)
			} else {
				r.cppDecl(n)
			}
		case "var_spec":
			r.goVarSpec(n)
		case "short_var_declaration":
			r.addShortVars(r.t.Child(n, "left"), r.t.Child(n, "right"))
		case "const_spec":
			for _, name := range r.t.Children(n, "name") {
				r.consts[r.t.Text(name)] = true
			}
		}
	}
	r.pending = nil
}

// isConst reports whether name is declared const in the file (Go).
func (r *resolver) isConst(name string) bool {
	r.load()
	return r.consts[name]
}

// fieldType returns the type of a Go struct field, "" when unknown or ambiguous.
func (r *resolver) fieldType(name string) string {
	r.load()
	return r.goFields[name]
}

// lookup finds the declaration of name visible at byte offset at: the latest one inside the
// innermost enclosing function, else the file-level one, unless file-level ones disagree.
func (r *resolver) lookup(name string, at uint32) string {
	r.load()
	var best *decl
	var bestFrom uint32
	fileTyp, fileTypes := "", 0
	for _, d := range r.decls[name] {
		from, to := d.scope(r.t)
		if from == 0 && to == uint32(len(r.t.Src)) {
			if d.typ != fileTyp {
				fileTyp, fileTypes = d.typ, fileTypes+1
			}
			continue
		}
		start := r.t.nodes[d.node].start
		if from <= at && at < to && start <= at && (best == nil || from > bestFrom || from == bestFrom && start > r.t.nodes[best.node].start) {
			best, bestFrom = d, from
		}
	}
	if best != nil {
		return best.typ
	}
	if fileTypes == 1 {
		return fileTyp
	}
	return ""
}

func (r *resolver) add(name string, n Node, typ string) {
	if name == "" || typ == "" {
		return
	}
	r.decls[name] = append(r.decls[name], &decl{node: n, typ: typ})
}

// functionRange returns the bytes of the function, lambda or closure enclosing n, or the
// whole file.
func (t *Tree) functionRange(n Node) (uint32, uint32) {
	if s := innermost(t.funcs, t.nodes[n].start, nil); s != nil {
		return s.start, s.end
	}
	return 0, uint32(len(t.Src))
}

// cppDecl records the variables of a C or C++ declaration: `T a, *b = new T;`.
func (r *resolver) cppDecl(n Node) {
	typ := r.t.cppTypeName(r.t.Child(n, "type"), 0)
	for _, d := range r.t.Children(n, "declarator") {
		name, value, ok := r.t.declaratorName(d)
		if !ok {
			continue
		}
		t := typ
		if t == "auto" || t == "" {
			t = r.t.cppValueType(value)
		}
		r.add(name, d, t)
	}
}

// declaratorName unwraps pointer, reference, array and init declarators to the declared
// name. Function declarators declare functions, not variables, and are refused.
func (t *Tree) declaratorName(d Node) (name string, value Node, ok bool) {
	value = NoNode
	for depth := 0; d >= 0 && depth < MaxDepth; depth++ {
		switch t.Kind(d) {
		case "identifier", "field_identifier":
			return t.Text(d), value, true
		case "init_declarator":
			value = t.Child(d, "value")
			d = t.Child(d, "declarator")
		case "pointer_declarator", "reference_declarator", "array_declarator", "attributed_declarator":
			next := t.Child(d, "declarator")
			if next < 0 {
				next = t.NamedChild(d, 0) // reference_declarator has no field name
			}
			d = next
		case "parenthesized_declarator":
			d = t.NamedChild(d, 0)
		default:
			return "", NoNode, false
		}
	}
	return "", NoNode, false
}

// smartPointers hold an object of their first template argument; a method called through
// one is a method of that type.
var smartPointers = map[string]bool{
	"unique_ptr": true, "shared_ptr": true, "weak_ptr": true, "auto_ptr": true,
	"CComPtr": true, "CComQIPtr": true, "ComPtr": true, "QPointer": true, "QScopedPointer": true,
	"QSharedPointer": true, "scoped_ptr": true, "intrusive_ptr": true, "_com_ptr_t": true,
}

// cppTypeName writes a declared type the way Call.Names does, seeing through smart pointers.
func (t *Tree) cppTypeName(n Node, depth int) string {
	if n < 0 || depth > 8 {
		return ""
	}
	switch t.Kind(n) {
	case "qualified_identifier":
		if name := t.Child(n, "name"); name >= 0 && t.Kind(name) == "template_type" {
			return t.templateTypeName(n, name, depth)
		}
		return normalizeQualified(t.Text(n))
	case "type_identifier", "primitive_type":
		return normalizeQualified(t.Text(n))
	case "placeholder_type_specifier":
		return "auto"
	case "struct_specifier", "class_specifier", "union_specifier":
		return normalizeQualified(t.Text(t.Child(n, "name")))
	case "template_type":
		return t.templateTypeName(n, n, depth)
	case "type_descriptor":
		return t.cppTypeName(t.Child(n, "type"), depth+1)
	}
	return ""
}

// templateTypeName names a template type: the pointee of a smart pointer, else the
// template itself. whole is the type as written (possibly qualified), tmpl its
// template_type part.
func (t *Tree) templateTypeName(whole, tmpl Node, depth int) string {
	base := normalizeQualified(t.Text(whole))
	if smartPointers[base[strings.LastIndex(base, ":")+1:]] {
		if args := t.Child(tmpl, "arguments"); args >= 0 && len(t.NamedChildren(args)) > 0 {
			return t.cppTypeName(t.NamedChild(args, 0), depth+1)
		}
	}
	return base
}

// cppValueType infers the type of an `auto` variable from `new T(…)` or
// `std::make_unique<T>(…)`.
func (t *Tree) cppValueType(v Node) string {
	if v < 0 {
		return ""
	}
	switch t.Kind(v) {
	case "new_expression":
		return t.cppTypeName(t.Child(v, "type"), 0)
	case "call_expression":
		fn := t.Child(v, "function")
		if fn < 0 {
			return ""
		}
		if t.Kind(fn) == "qualified_identifier" {
			fn = t.Child(fn, "name")
		}
		if fn >= 0 && t.Kind(fn) == "template_function" {
			name := t.Text(t.Child(fn, "name"))
			args := t.Child(fn, "arguments")
			if (name == "make_unique" || name == "make_shared") && args >= 0 && len(t.NamedChildren(args)) > 0 {
				return t.cppTypeName(t.NamedChild(args, 0), 0)
			}
		}
	}
	return ""
}

// cppTypeOf returns the declared type of a member call's receiver: a variable, a parameter,
// a field, or `this` (the enclosing class).
func (r *resolver) cppTypeOf(recv Node, at uint32) string {
	if recv < 0 {
		return ""
	}
	switch r.t.Kind(recv) {
	case "identifier", "field_identifier":
		return r.lookup(r.t.Text(recv), at)
	case "this":
		return r.t.enclosingClass(recv)
	case "field_expression":
		if f := r.t.Child(recv, "field"); f >= 0 {
			return r.lookup(r.t.Text(f), at)
		}
	case "parenthesized_expression":
		return r.cppTypeOf(r.t.NamedChild(recv, 0), at)
	case "pointer_expression":
		return r.cppTypeOf(r.t.Child(recv, "argument"), at)
	}
	return ""
}

// goDecl records a Go parameter or struct field declaration: `a, b *http.Client`.
func (r *resolver) goDecl(n Node, seenField map[string]bool) {
	typ := r.goTypeName(r.t.Child(n, "type"))
	for _, name := range r.t.Children(n, "name") {
		if r.t.Kind(name) != "field_identifier" {
			r.add(r.t.Text(name), name, typ)
			continue
		}
		field, ftyp := r.t.Text(name), typ
		if seenField[field] && r.goFields[field] != ftyp {
			ftyp = "" // two structs disagree: a field name alone cannot tell them apart
		}
		seenField[field] = true
		r.goFields[field] = ftyp
	}
}

// goVarSpec records `var a T`, `var a = v` and `var a, b = x, y`.
func (r *resolver) goVarSpec(n Node) {
	names := r.t.Children(n, "name")
	if typ := r.t.Child(n, "type"); typ >= 0 {
		t := r.goTypeName(typ)
		for _, name := range names {
			r.add(r.t.Text(name), name, t)
		}
		return
	}
	values := r.t.NamedChildren(r.t.Child(n, "value"))
	for i, name := range names {
		if i < len(values) {
			r.add(r.t.Text(name), name, r.goValueType(values[i]))
		}
	}
}

// addImport records an import_spec: the name it binds and the path it names.
func (r *resolver) addImport(spec Node) {
	p, alias := r.t.Child(spec, "path"), r.t.Child(spec, "name")
	if p < 0 {
		return
	}
	ip, err := strconv.Unquote(r.t.Text(p))
	if err != nil {
		return
	}
	name := goPackageName(ip)
	if alias >= 0 {
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
func (r *resolver) addShortVars(left, right Node) {
	ls, rs := r.t.NamedChildren(left), r.t.NamedChildren(right)
	for i, l := range ls {
		if r.t.Kind(l) != "identifier" {
			continue
		}
		if i < len(rs) {
			r.add(r.t.Text(l), l, r.goValueType(rs[i]))
		}
	}
}

// goTypeName writes a Go type the way Call.Names does: "net/http.Client" for *http.Client.
func (r *resolver) goTypeName(n Node) string {
	for depth := 0; n >= 0 && depth < 8; depth++ {
		switch r.t.Kind(n) {
		case "pointer_type", "parenthesized_type":
			n = r.t.NamedChild(n, 0)
		case "generic_type":
			n = r.t.Child(n, "type")
		case "type_identifier":
			return r.t.Text(n)
		case "qualified_type":
			pkg, name := r.t.Child(n, "package"), r.t.Child(n, "name")
			if pkg < 0 || name < 0 {
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
func (r *resolver) goValueType(v Node) string {
	if v < 0 {
		return ""
	}
	switch r.t.Kind(v) {
	case "composite_literal":
		return r.goTypeName(r.t.Child(v, "type"))
	case "unary_expression":
		return r.goValueType(r.t.Child(v, "operand"))
	case "parenthesized_expression":
		return r.goValueType(r.t.NamedChild(v, 0))
	case "call_expression":
		fn := r.t.Child(v, "function")
		if fn < 0 {
			return ""
		}
		if r.t.Kind(fn) == "identifier" && r.t.Text(fn) == "new" {
			if args := r.t.NamedChildren(r.t.Child(v, "arguments")); len(args) == 1 {
				return r.goTypeName(args[0])
			}
		}
		if name := r.goPackageFunc(fn); name != "" {
			if typ := goResultTypes[name]; typ != "" {
				return typ
			}
			return constructed(name)
		}
		if r.t.Kind(fn) == "identifier" {
			return constructed(r.t.Text(fn))
		}
	}
	return ""
}

// constructed follows Go's naming convention for constructors: NewClient returns a Client
// (pkg.NewClient a pkg.Client). It returns "" for other names.
func constructed(fn string) string {
	i := strings.LastIndexByte(fn, '.')
	name := fn[i+1:]
	if name == "New" && i > 0 {
		// pkg.New returns the type named after its package: template.New a
		// template.Template, otto.New an otto.Otto.
		pkg := fn[:i]
		elem := path.Base(pkg)
		if major.MatchString(elem) {
			elem = path.Base(path.Dir(pkg))
		}
		if !identLike.MatchString(elem) || elem[0] < 'a' || elem[0] > 'z' {
			return ""
		}
		return pkg + "." + strings.ToUpper(elem[:1]) + elem[1:]
	}
	rest, ok := strings.CutPrefix(name, "New")
	if !ok || rest == "" || rest[0] < 'A' || rest[0] > 'Z' {
		return ""
	}
	return fn[:i+1] + rest
}

// TypeOf returns the declared type of an expression, in the naming convention of
// Call.Names, when the file says it: a variable or parameter, a field, a constructor's
// result. It returns "" when it does not.
func (t *Tree) TypeOf(n Node) string {
	r := t.resolver()
	switch t.Kind(n) {
	case "identifier":
		return r.lookup(t.Text(n), t.nodes[n].start)
	case "selector_expression":
		return r.fieldType(t.Text(t.Child(n, "field")))
	case "field_expression", "this", "parenthesized_expression", "pointer_expression":
		return r.cppTypeOf(n, t.nodes[n].start)
	case "call_expression", "composite_literal", "unary_expression":
		if t.Lang == source.Go {
			return r.goValueType(n)
		}
	}
	return ""
}

// VarType returns the declared type of the variable name as seen inside function fn (its
// latest declaration there, else the file's), or "".
func (t *Tree) VarType(name string, fn Node) string {
	r := t.resolver()
	end := t.nodes[fn].end
	if end > 0 {
		end--
	}
	return r.lookup(name, end)
}

// goPackageFunc names fn when it is a package function `pkg.F`, else returns "".
func (r *resolver) goPackageFunc(fn Node) string {
	if r.t.Kind(fn) != "selector_expression" {
		return ""
	}
	operand, field := r.t.Child(fn, "operand"), r.t.Child(fn, "field")
	if operand < 0 || field < 0 || r.t.Kind(operand) != "identifier" {
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
	"golang.org/x/sys/windows/registry.OpenKey":   "golang.org/x/sys/windows/registry.Key",
	"golang.org/x/sys/windows/registry.CreateKey": "golang.org/x/sys/windows/registry.Key",
	// Interpreters whose constructor does not follow either convention.
	"github.com/traefik/yaegi/interp.New": "github.com/traefik/yaegi/interp.Interpreter",
	"github.com/dop251/goja.New":          "github.com/dop251/goja.Runtime",
}

// major matches a module's major-version path element ("v3").
var major = regexp.MustCompile(`^v[0-9]+$`)

// goPackageVars gives the types of standard-library package variables used as receivers.
var goPackageVars = map[string]string{
	"net/http.DefaultClient": "net/http.Client", "net.DefaultResolver": "net.Resolver",
	"os.Stdin": "os.File", "os.Stdout": "os.File", "os.Stderr": "os.File",
}
