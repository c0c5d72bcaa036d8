package taintssa

import (
	"go/ast"
	"go/constant"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"glassbox/rules"
)

// Packs name Go callees "import/path.Func" and "import/path.Type.Method" (pointer receivers
// written without the star), package variables' methods "import/path.Var.Method", and any
// method "*.Method". A typed call site goes by all the names that fit it, most specific first:
// the package variable it is called on, its receiver's type, the concrete types an interface
// value was made from in the same function, the model types (interfaces) that type
// implements, and the receiver-agnostic name. So a sink declared on net.Conn.Write matches
// c.Write on a *net.TCPConn, on a net.Conn, and on an io.Writer made from either.

// typeName is a named type's pack name, pointer and type arguments dropped, or "".
func typeName(t types.Type) string {
	t = types.Unalias(t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		if _, named := t.(*types.Named); !named {
			t = types.Unalias(p.Elem())
		}
	}
	n, ok := t.(*types.Named)
	if !ok {
		return ""
	}
	obj := n.Origin().Obj()
	if obj.Pkg() == nil {
		return ""
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

// funcNames names a function or method object for the packs.
func (p *pkgAnalysis) funcNames(obj *types.Func, recv ssa.Value) []string {
	if obj == nil {
		return nil
	}
	obj = obj.Origin()
	sig := obj.Signature()
	if sig.Recv() == nil {
		if obj.Pkg() == nil {
			return nil
		}
		return []string{obj.Pkg().Path() + "." + obj.Name()}
	}
	m := obj.Name()
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	if g := globalOf(recv); g != nil && g.Pkg != nil {
		add(g.Pkg.Pkg.Path() + "." + g.Name() + "." + m)
	}
	// The receiver's own type first (net.UDPConn.Write), then the type that declares the
	// method, which differs for a promoted one (net.conn.Write).
	static := sig.Recv().Type()
	recvTypes := []types.Type{static}
	for _, t := range outerTypes(recv) {
		if tn := typeName(t); tn != "" {
			add(tn + "." + m)
		}
		recvTypes = append(recvTypes, t)
	}
	if tn := typeName(static); tn != "" {
		add(tn + "." + m)
	}
	if recv != nil {
		for _, t := range dynTypes(recv, 0) {
			if tn := typeName(t); tn != "" {
				add(tn + "." + m)
			}
			recvTypes = append(recvTypes, t)
		}
	}
	for _, r := range p.ifaces {
		if r.method != m {
			continue
		}
		for _, t := range recvTypes {
			if implements(t, r.iface) {
				add(r.name)
				break
			}
		}
	}
	add("*." + m)
	return out
}

// outerTypes are the types a method's receiver is written with, outermost first: a method
// promoted from an embedded field is called on the field (c.conn of a *net.UDPConn), but
// the code names the struct that embeds it.
func outerTypes(recv ssa.Value) []types.Type {
	var out []types.Type
	for depth := 0; recv != nil && depth < 4; depth++ {
		out = append([]types.Type{recv.Type()}, out...)
		switch x := recv.(type) {
		case *ssa.FieldAddr:
			if embedded(x.X.Type(), x.Field) {
				recv = x.X
				continue
			}
		case *ssa.Field:
			if embedded(x.X.Type(), x.Field) {
				recv = x.X
				continue
			}
		}
		break
	}
	return out
}

// embedded reports whether field i of a struct type (or pointer to one) is embedded.
func embedded(t types.Type, i int) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return ok && i < st.NumFields() && st.Field(i).Embedded()
}

// globalOf returns the package variable a receiver was loaded from.
func globalOf(v ssa.Value) *ssa.Global {
	switch v := v.(type) {
	case *ssa.UnOp:
		if g, ok := v.X.(*ssa.Global); ok {
			return g
		}
	case *ssa.Global:
		return v
	}
	return nil
}

// dynTypes follows an interface value back, inside its function, to the concrete types it
// was made from.
func dynTypes(v ssa.Value, depth int) []types.Type {
	if depth > 6 || v == nil {
		return nil
	}
	switch v := v.(type) {
	case *ssa.MakeInterface:
		return []types.Type{v.X.Type()}
	case *ssa.ChangeInterface:
		return dynTypes(v.X, depth+1)
	case *ssa.TypeAssert:
		return dynTypes(v.X, depth+1)
	case *ssa.Phi:
		var out []types.Type
		for _, e := range v.Edges {
			out = append(out, dynTypes(e, depth+1)...)
		}
		return out
	}
	if _, ok := v.Type().Underlying().(*types.Interface); ok {
		return nil
	}
	return []types.Type{v.Type()}
}

// implements reports whether values of type t (or pointers to them) satisfy iface.
func implements(t types.Type, iface *types.Interface) bool {
	if iface == nil || t == nil {
		return false
	}
	if types.Implements(t, iface) {
		return true
	}
	if _, ok := t.Underlying().(*types.Pointer); ok {
		return false
	}
	if _, ok := t.Underlying().(*types.Interface); ok {
		return false
	}
	return types.Implements(types.NewPointer(t), iface)
}

// resolvedIface is a model type that is an interface the package can see.
type resolvedIface struct {
	name   string // the model name: "net.Conn.Write"
	method string
	iface  *types.Interface
}

// resolveIfaces finds the interfaces models name among the packages pkg imports.
func resolveIfaces(pkg *types.Package, names []ifaceName) []resolvedIface {
	byPath := map[string]*types.Package{}
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if byPath[p.Path()] != nil {
			return
		}
		byPath[p.Path()] = p
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	walk(pkg)
	var out []resolvedIface
	for _, n := range names {
		p := byPath[n.pkg]
		if p == nil {
			continue
		}
		tn, ok := p.Scope().Lookup(n.typ).(*types.TypeName)
		if !ok {
			continue
		}
		if it, ok := tn.Type().Underlying().(*types.Interface); ok {
			out = append(out, resolvedIface{name: n.pkg + "." + n.typ + "." + n.method, method: n.method, iface: it})
		}
	}
	return out
}

// whereHolds checks a model's argument conditions against the call's arguments as written.
func (c *call) whereHolds(checks []rules.ArgCheck) bool {
	if len(checks) == 0 {
		return true
	}
	expr := c.site.expr
	if expr == nil || c.inner {
		return false
	}
	info := c.site.g.pkg.info
	for _, chk := range checks {
		if chk.Index >= len(expr.Args) {
			return false
		}
		a := expr.Args[chk.Index]
		tv := info.Types[a]
		text := c.site.g.pkg.files.code(a)
		value, isString := text, false
		if tv.Value != nil {
			if tv.Value.Kind() == constant.String {
				value, isString = constant.StringVal(tv.Value), true
			} else {
				value = tv.Value.ExactString()
			}
		}
		if lit, ok := ast.Unparen(a).(*ast.BasicLit); !ok || tv.Value == nil || lit.Kind.String() != "STRING" {
			isString = false
		}
		switch {
		case len(chk.Equals) > 0 && !slices.Contains(chk.Equals, value) && !slices.Contains(chk.Equals, text):
			return false
		case chk.Regex != nil && !chk.Regex.MatchString(value) && !chk.Regex.MatchString(text):
			return false
		case chk.NotRegex != nil && (chk.NotRegex.MatchString(value) || chk.NotRegex.MatchString(text)):
			return false
		case chk.String != nil && *chk.String != isString:
			return false
		case chk.Constant != nil && *chk.Constant != (tv.Value != nil):
			return false
		case len(chk.Type) > 0 && !c.site.g.pkg.typeIsOneOf(tv.Type, chk.Type):
			return false
		}
	}
	return true
}

// typeIsOneOf reports whether t is one of the named types, or implements one that is an
// interface.
func (p *pkgAnalysis) typeIsOneOf(t types.Type, names []string) bool {
	if t == nil {
		return false
	}
	if slices.Contains(names, typeName(t)) {
		return true
	}
	for _, n := range names {
		if it := p.lookupIface(n); it != nil && implements(t, it) {
			return true
		}
	}
	return false
}

// lookupIface resolves "import/path.Type" to an interface the package can see.
func (p *pkgAnalysis) lookupIface(name string) *types.Interface {
	if it, ok := p.ifaceCache[name]; ok {
		return it
	}
	var it *types.Interface
	dot := lastDot(name)
	if dot > 0 {
		path, typ := name[:dot], name[dot+1:]
		for _, pkg := range p.visible {
			if pkg.Path() != path {
				continue
			}
			if tn, ok := pkg.Scope().Lookup(typ).(*types.TypeName); ok {
				it, _ = tn.Type().Underlying().(*types.Interface)
			}
		}
	}
	p.ifaceCache[name] = it
	return it
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0 && s[i] != '/'; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}
