package syntax

import (
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"

	"glassbox/analyzers/source"
)

// FunctionName names the function that encloses n: "Class::method" or "ns::f" in C++, "f"
// in C, "Type.Method" or "f" in Go. Lambdas and closures belong to the function they are
// written in. It returns "" at file scope. Fingerprints use it, so a finding keeps its
// identity when lines are inserted above it.
func (t *Tree) FunctionName(n *sitter.Node) string {
	if t.res == nil {
		t.index(nil)
	}
	s := innermost(t.funcs, n.StartByte(), func(s *span) bool { return s.named })
	if s == nil {
		return ""
	}
	return t.spanName(s)
}

// spanName names a function definition, once.
func (t *Tree) spanName(s *span) string {
	if s.nameDone {
		return s.name
	}
	s.nameDone = true
	switch s.node.Type() {
	case "function_definition":
		s.name = t.declaratorFunc(s.node.ChildByFieldName("declarator"))
		if !strings.Contains(s.name, "::") {
			if cls := innermost(t.classes, s.start, nil); cls != nil {
				s.name = cls.name + "::" + s.name
			}
		}
	case "function_declaration":
		s.name = t.Text(s.node.ChildByFieldName("name"))
	case "method_declaration":
		s.name = t.goReceiverType(s.node) + "." + t.Text(s.node.ChildByFieldName("name"))
	}
	return s.name
}

// declaratorFunc finds the name inside a function declarator chain (pointers, references
// and attributes around the function_declarator).
func (t *Tree) declaratorFunc(d *sitter.Node) string {
	for depth := 0; d != nil && depth < 16; depth++ {
		switch d.Type() {
		case "function_declarator", "pointer_declarator", "reference_declarator", "attributed_declarator", "parenthesized_declarator":
			next := d.ChildByFieldName("declarator")
			if next == nil {
				next = d.NamedChild(0)
			}
			d = next
		default:
			return normalizeQualified(t.Text(d))
		}
	}
	return ""
}

// enclosingClass names the class a C++ method belongs to: the qualifier of an out-of-line
// definition `Class::method`, or the class body it is written in.
func (t *Tree) enclosingClass(n *sitter.Node) string {
	if t.res == nil {
		t.index(nil)
	}
	off := n.StartByte()
	if fn := innermost(t.funcs, off, func(s *span) bool { return s.named }); fn != nil {
		if name := t.spanName(fn); strings.Contains(name, "::") {
			return name[:strings.LastIndex(name, "::")]
		}
	}
	if cls := innermost(t.classes, off, nil); cls != nil {
		return cls.name
	}
	return ""
}

// goReceiverType names a Go method's receiver type without pointer or type parameters.
func (t *Tree) goReceiverType(m *sitter.Node) string {
	recv := m.ChildByFieldName("receiver")
	if recv == nil || recv.NamedChildCount() == 0 {
		return ""
	}
	param := recv.NamedChild(0)
	typ := param.ChildByFieldName("type")
	for depth := 0; typ != nil && depth < 4; depth++ {
		switch typ.Type() {
		case "pointer_type", "parenthesized_type":
			typ = typ.NamedChild(0)
		case "generic_type":
			typ = typ.ChildByFieldName("type")
		default:
			return t.Text(typ)
		}
	}
	return ""
}

// ContextName names what a value is given to: the macro it defines, the variable, field or
// key it initialises, what it is assigned to, or the function it is passed to. Rules use it
// to tell `#define FILE_VERSION "1.0.0.1"` from an address. It returns "" when the value
// stands alone.
func (t *Tree) ContextName(n *sitter.Node) string {
	for p, depth := n.Parent(), 0; p != nil && depth < 8; p, depth = p.Parent(), depth+1 {
		switch p.Type() {
		case "preproc_def", "var_spec", "const_spec", "enumerator":
			return t.Text(p.ChildByFieldName("name"))
		case "init_declarator":
			name, _, _ := t.declaratorName(p)
			return name
		case "assignment_expression", "assignment_statement", "short_var_declaration":
			return t.Text(p.ChildByFieldName("left"))
		case "initializer_pair":
			return t.Text(p.ChildByFieldName("designator"))
		case "keyed_element":
			return t.Text(p.NamedChild(0))
		case "call_expression":
			return t.Text(p.ChildByFieldName("function"))
		case "compound_statement", "block", "translation_unit", "source_file", "expression_statement":
			return ""
		}
	}
	return ""
}

// Comment is one comment of a file.
type Comment struct {
	Start int // byte offset
	Text  string
}

var (
	commentQueriesOnce sync.Once
	commentQueries     map[source.Lang]*Query
)

// Comments returns the file's comments in document order.
func (t *Tree) Comments() []Comment {
	commentQueriesOnce.Do(func() {
		commentQueries = map[source.Lang]*Query{}
		for _, l := range source.Langs {
			q, err := CompileQuery(l, "(comment) @c")
			if err != nil {
				panic("syntax: built-in comment query does not compile: " + err.Error())
			}
			commentQueries[l] = q
		}
	})
	var out []Comment
	commentQueries[t.Lang].Run(t, func(m *Match) {
		n := m.Captures[0].Node
		out = append(out, Comment{Start: int(n.StartByte()), Text: t.Text(n)})
	})
	return out
}
