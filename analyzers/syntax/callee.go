package syntax

import (
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

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
	Node   *sitter.Node // the call expression
	Callee *sitter.Node // the called expression
	Names  []string
	list   *sitter.Node // argument_list
	args   []*sitter.Node
}

// Args returns the call's arguments, leaving out comments. They are read on first use:
// most calls match no rule, and each child costs a cgo call.
func (c *Call) Args() []*sitter.Node {
	if c.args == nil && c.list != nil {
		c.args = namedArgs(c.list)
		c.list = nil
	}
	return c.args
}

// Calls returns every call in the tree, in document order. A tree that a Pass ran on already
// has them; otherwise they are gathered now.
func (t *Tree) Calls() []*Call {
	if t.res == nil {
		t.index(nil)
	}
	return t.calls
}

var identLike = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// calleeNames names what fn calls. Windows code seldom calls an API by its plain name, so
// wrapper macros `CWA(kernel32, CreateFileW)(…)`, `API(send)(…)` and calls through the
// result of `GetProcAddress(h, "send")` are named by their last argument: calling the result
// of a call is exactly how those wrappers look to a parser.
func (t *Tree) calleeNames(fn *sitter.Node, depth int) []string {
	if fn == nil || depth > MaxDepth {
		return nil
	}
	switch fn.Type() {
	case "identifier":
		return []string{t.Text(fn)}
	case "qualified_identifier":
		return []string{normalizeQualified(t.Text(fn))}
	case "template_function":
		return t.calleeNames(fn.ChildByFieldName("name"), depth+1)
	case "parenthesized_expression":
		return t.calleeNames(fn.NamedChild(0), depth+1)
	case "pointer_expression":
		return t.calleeNames(fn.ChildByFieldName("argument"), depth+1)
	case "cast_expression":
		return t.calleeNames(fn.ChildByFieldName("value"), depth+1)
	case "call_expression":
		return t.wrappedName(fn)
	case "field_expression":
		return t.memberNames(fn)
	case "selector_expression":
		return t.goSelectorNames(fn)
	}
	return nil
}

func (t *Tree) wrappedName(inner *sitter.Node) []string {
	args := namedArgs(inner.ChildByFieldName("arguments"))
	if len(args) == 0 {
		return nil
	}
	last := args[len(args)-1]
	if last.Type() == "identifier" {
		return []string{t.Text(last)}
	}
	if v, ok := t.StringValue(last); ok && identLike.MatchString(v) {
		return []string{v}
	}
	return nil
}

// memberNames names a C/C++ member call `recv.m(…)` or `recv->m(…)`.
func (t *Tree) memberNames(fn *sitter.Node) []string {
	field := fn.ChildByFieldName("field")
	if field == nil {
		return nil
	}
	if field.Type() == "template_method" {
		field = field.ChildByFieldName("name")
	}
	name := t.Text(field)
	var out []string
	// C has no methods: a member call there goes through a function pointer in a struct,
	// and the struct's type says nothing a rule could name.
	if t.Lang == source.CPP {
		if typ := t.resolver().cppTypeOf(fn.ChildByFieldName("argument"), fn.StartByte()); typ != "" {
			out = append(out, typ+"::"+name)
		}
	}
	return append(out, "*."+name)
}

// goSelectorNames names a Go call `x.F(…)`: a package function, a method on a receiver of
// known type, or a method of a package variable.
func (t *Tree) goSelectorNames(fn *sitter.Node) []string {
	operand, field := fn.ChildByFieldName("operand"), fn.ChildByFieldName("field")
	if operand == nil || field == nil {
		return nil
	}
	sel := t.Text(field)
	r := t.resolver()
	var out []string
	switch operand.Type() {
	case "identifier":
		name := t.Text(operand)
		if typ := r.goVarType(name, operand.StartByte()); typ != "" {
			out = append(out, typ+"."+sel)
		} else if path, ok := r.imports[name]; ok {
			return []string{path + "." + sel}
		}
	case "selector_expression":
		inner, innerField := operand.ChildByFieldName("operand"), operand.ChildByFieldName("field")
		if inner != nil && innerField != nil && inner.Type() == "identifier" {
			if path, ok := r.imports[t.Text(inner)]; ok {
				v := path + "." + t.Text(innerField)
				out = append(out, v+"."+sel)
				if typ := goPackageVars[v]; typ != "" {
					out = append(out, typ+"."+sel)
				}
				break
			}
		}
		if innerField != nil {
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
