package syntax

import (
	"regexp"
	"strings"

	"glassbox/analyzers/source"
)

// Call is one call expression with the names a rule may know its callee by.
//
// Names follow one convention across the project: a C or C++ function is its plain name
// ("send"); a qualified C++ name is written as in the code without a leading "::"
// ("std::system"); a C++ method on a receiver whose declared type is known is
// "Type::method"; a Go package function is "import/path.Func"; a Go method on a receiver of
// known type is "import/path.Type.Method"; a Go package variable's method is
// "import/path.Var.Method"; and any method call also has the receiver-agnostic "*.method".
type Call struct {
	Node   Node // the call expression
	Callee Node // the called expression
	Names  []string
	list   Node // the argument list
	args   []Node
	read   bool
}

// Args returns the call's arguments, leaving out comments.
func (c *Call) Args() []Node { return c.args }

// Calls returns every call in the tree, in document order.
func (t *Tree) Calls() []*Call {
	t.index()
	return t.calls
}

// CalleeNames names what calling n would call: the names a call `n(…)` would have. A method
// value stored in a variable (`send := conn.Write`) is known by them.
func (t *Tree) CalleeNames(n Node) []string {
	t.index()
	return t.calleeNames(n, 0)
}

var identLike = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// calleeNames names what fn calls. Windows code seldom calls an API by its plain name, so
// wrapper macros `CWA(kernel32, CreateFileW)(…)`, `API(send)(…)` and calls through the
// result of `GetProcAddress(h, "send")` are named by their last argument: calling the result
// of a call is exactly how those wrappers look to a parser.
func (t *Tree) calleeNames(fn Node, depth int) []string {
	if fn < 0 || depth > MaxDepth {
		return nil
	}
	switch t.Kind(fn) {
	case "identifier":
		return []string{t.Text(fn)}
	case "qualified_identifier":
		return []string{normalizeQualified(t.Text(fn))}
	case "template_function":
		return t.calleeNames(t.Child(fn, "name"), depth+1)
	case "parenthesized_expression":
		return t.calleeNames(t.NamedChild(fn, 0), depth+1)
	case "pointer_expression":
		return t.calleeNames(t.Child(fn, "argument"), depth+1)
	case "cast_expression":
		return t.calleeNames(t.Child(fn, "value"), depth+1)
	case "call_expression":
		return t.wrappedName(fn)
	case "field_expression":
		return t.memberNames(fn)
	case "selector_expression":
		return t.goSelectorNames(fn)
	}
	return nil
}

func (t *Tree) wrappedName(inner Node) []string {
	args := t.NamedChildren(t.Child(inner, "arguments"))
	if len(args) == 0 {
		return nil
	}
	last := args[len(args)-1]
	if t.Kind(last) == "identifier" {
		return []string{t.Text(last)}
	}
	if v, ok := t.StringValue(last); ok && identLike.MatchString(v) {
		return []string{v}
	}
	return nil
}

// memberNames names a C/C++ member call `recv.m(…)` or `recv->m(…)`.
func (t *Tree) memberNames(fn Node) []string {
	field := t.Child(fn, "field")
	if field < 0 {
		return nil
	}
	if t.Kind(field) == "template_method" {
		field = t.Child(field, "name")
	}
	name := t.Text(field)
	var out []string
	// C has no methods: a member call there goes through a function pointer in a struct,
	// and the struct's type says nothing a rule could name.
	if t.Lang == source.CPP {
		if typ := t.res.cppTypeOf(t.Child(fn, "argument"), t.nodes[fn].start); typ != "" {
			out = append(out, typ+"::"+name)
		}
	}
	return append(out, "*."+name)
}

// goSelectorNames names a Go call `x.F(…)`: a package function, a method on a receiver of
// known type, or a method of a package variable.
func (t *Tree) goSelectorNames(fn Node) []string {
	operand, field := t.Child(fn, "operand"), t.Child(fn, "field")
	if operand < 0 || field < 0 {
		return nil
	}
	sel := t.Text(field)
	r := t.res
	var out []string
	switch t.Kind(operand) {
	case "identifier":
		name := t.Text(operand)
		if typ := r.lookup(name, t.nodes[operand].start); typ != "" {
			out = append(out, typ+"."+sel)
		} else if path, ok := r.imports[name]; ok {
			return []string{path + "." + sel}
		}
	case "selector_expression":
		inner, innerField := t.Child(operand, "operand"), t.Child(operand, "field")
		if inner >= 0 && innerField >= 0 && t.Kind(inner) == "identifier" {
			if path, ok := r.imports[t.Text(inner)]; ok {
				v := path + "." + t.Text(innerField)
				out = append(out, v+"."+sel)
				if typ := goPackageVars[v]; typ != "" {
					out = append(out, typ+"."+sel)
				}
				break
			}
		}
		if innerField >= 0 {
			if typ := r.fieldType(t.Text(innerField)); typ != "" {
				out = append(out, typ+"."+sel)
			}
		}
	default:
		if typ := r.goValueType(operand); typ != "" {
			out = append(out, typ+"."+sel)
		}
	}
	return append(out, "*."+sel)
}

var templateArgs = regexp.MustCompile(`<[^<>]*>`)

// normalizeQualified writes a C++ qualified name the way rules do: no spaces, no template
// arguments, no leading "::".
func normalizeQualified(s string) string {
	s = strings.Join(strings.Fields(s), "")
	for prev := ""; prev != s; {
		prev = s
		s = templateArgs.ReplaceAllString(s, "")
	}
	return strings.TrimPrefix(s, "::")
}
