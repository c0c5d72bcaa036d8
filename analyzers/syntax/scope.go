package syntax

import (
	"regexp"
	"strings"
)

// FunctionName names the function that encloses n: "Class::method" or "ns::f" in C++, "f"
// in C, "Type.Method" or "f" in Go. Lambdas and closures belong to the function they are
// written in. It returns "" at file scope. Fingerprints use it, so a finding keeps its
// identity when lines are inserted above it.
func (t *Tree) FunctionName(n Node) string {
	t.index()
	s := innermost(t.funcs, t.nodes[n].start, func(s *span) bool { return s.named })
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
	switch t.Kind(s.node) {
	case "function_definition":
		s.name = t.declaratorFunc(t.Child(s.node, "declarator"))
		if !strings.Contains(s.name, "::") {
			if cls := innermost(t.classes, s.start, nil); cls != nil {
				s.name = cls.name + "::" + s.name
			}
		}
	case "function_declaration":
		s.name = t.Text(t.Child(s.node, "name"))
	case "method_declaration":
		s.name = t.goReceiverType(s.node) + "." + t.Text(t.Child(s.node, "name"))
	}
	return s.name
}

// declaratorFunc finds the name inside a function declarator chain (pointers, references
// and attributes around the function_declarator).
func (t *Tree) declaratorFunc(d Node) string {
	for depth := 0; d >= 0 && depth < 16; depth++ {
		switch t.Kind(d) {
		case "function_declarator", "pointer_declarator", "reference_declarator", "attributed_declarator", "parenthesized_declarator":
			next := t.Child(d, "declarator")
			if next < 0 {
				next = t.NamedChild(d, 0)
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
func (t *Tree) enclosingClass(n Node) string {
	t.index()
	off := t.nodes[n].start
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
func (t *Tree) goReceiverType(m Node) string {
	typ := t.Child(t.NamedChild(t.Child(m, "receiver"), 0), "type")
	for depth := 0; typ >= 0 && depth < 4; depth++ {
		switch t.Kind(typ) {
		case "pointer_type", "parenthesized_type":
			typ = t.NamedChild(typ, 0)
		case "generic_type":
			typ = t.Child(typ, "type")
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
func (t *Tree) ContextName(n Node) string {
	for p, depth := t.Parent(n), 0; p >= 0 && depth < 8; p, depth = t.Parent(p), depth+1 {
		switch t.Kind(p) {
		case "preproc_def", "var_spec", "const_spec", "enumerator":
			return t.Text(t.Child(p, "name"))
		case "init_declarator":
			name, _, _ := t.declaratorName(p)
			return name
		case "assignment_expression", "assignment_statement", "short_var_declaration":
			return t.Text(t.Child(p, "left"))
		case "initializer_pair":
			return t.Text(t.Child(p, "designator"))
		case "keyed_element":
			return t.Text(t.NamedChild(p, 0))
		case "call_expression":
			return t.Text(t.Child(p, "function"))
		case "compound_statement", "block", "translation_unit", "source_file", "expression_statement":
			return ""
		}
	}
	return ""
}

// messageFuncs are the calls whose string arguments are messages to a person — printed,
// logged, shown or returned as errors — rather than data the program acts on.
var messageFuncs = regexp.MustCompile(`^(printf|wprintf|fprintf|fwprintf|vprintf|vfprintf|puts|fputs|_putws|syslog|vsyslog|perror|` +
	`logg|mprintf|NSLog|qDebug|qWarning|qInfo|qCritical|OutputDebugString[AW]?|MessageBox[AW]?|wxMessageBox|` +
	`fmt\.(Print|Println|Printf|Fprint|Fprintf|Fprintln|Errorf)|errors\.New)$|` +
	`(^|[^A-Za-z])([Ll]og|LOG)([^a-z]|$)|[Ll]ogger`)

// messageStreams are the C++ streams whose output is a message.
var messageStreams = map[string]bool{"std::cout": true, "std::cerr": true, "std::clog": true, "std::wcout": true,
	"std::wcerr": true, "cout": true, "cerr": true, "clog": true, "wcout": true, "wcerr": true, "qDebug()": true, "qWarning()": true}

// InMessage reports whether n is part of a message to a person: an argument of a print, log
// or error call (`logg("see https://docs.example/faq")`, `fmt.Errorf(…)`, `LOG_WARN(…)`,
// `logger->info(…)` not included) or text written to std::cerr. A documentation link there is
// not where the program connects.
func (t *Tree) InMessage(n Node) bool {
	for p, depth := t.Parent(n), 0; p >= 0 && depth < 8; p, depth = t.Parent(p), depth+1 {
		switch t.Kind(p) {
		case "call_expression":
			return messageFuncs.MatchString(t.Text(t.Child(p, "function")))
		case "binary_expression":
			if t.Text(t.Child(p, "operator")) != "<<" {
				return false
			}
			left := p
			for i := 0; t.Kind(left) == "binary_expression" && i < 64; i++ {
				left = t.Child(left, "left")
			}
			return messageStreams[strings.Join(strings.Fields(t.Text(left)), "")]
		case "argument_list", "arguments", "concatenated_string", "parenthesized_expression", "binary_expression_list":
		default:
			return false
		}
	}
	return false
}

// Comment is one comment of a file.
type Comment struct {
	Start int // byte offset
	Text  string
}

// Comments returns the file's comments in document order, including those that end a
// macro definition, which the parser leaves inside the macro's body.
func (t *Tree) Comments() []Comment {
	var out []Comment
	for i := range t.nodes {
		switch n := Node(i); t.Kind(n) {
		case "comment":
			out = append(out, Comment{Start: t.Start(n), Text: t.Text(n)})
		case "preproc_arg":
			if at := trailingComment(t.Text(n)); at >= 0 {
				out = append(out, Comment{Start: t.Start(n) + at, Text: strings.TrimRight(t.Text(n)[at:], " \t\r\n")})
			}
		}
	}
	return out
}

// trailingComment returns where a comment starts in a macro body, outside string and
// character literals, or -1.
func trailingComment(body string) int {
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '"' || c == '\'':
			i = quoteEnd(body, i)
		case c == '/' && i+1 < len(body) && (body[i+1] == '/' || body[i+1] == '*'):
			return i
		}
	}
	return -1
}

// Functions returns the named function definitions of the tree in document order (lambdas
// and closures belong to the function they are written in).
func (t *Tree) Functions() []Node {
	t.index()
	var out []Node
	for _, s := range t.funcs {
		if s.named {
			out = append(out, s.node)
		}
	}
	return out
}

// IsFunction reports whether n is a named function definition.
func (t *Tree) IsFunction(n Node) bool {
	roles := t.lang.roles()
	k := t.nodes[n].kind
	return int(k) < len(roles) && roles[k] == roleFunc
}

// EnclosingClass names the class a C++ method belongs to (see enclosingClass), or the
// receiver type of a Go method; "" for free functions.
func (t *Tree) EnclosingClass(fn Node) string {
	if t.Kind(fn) == "method_declaration" {
		return t.goReceiverType(fn)
	}
	if t.Lang == "cpp" {
		return t.enclosingClass(fn)
	}
	return ""
}

// IsImport reports whether name is the name of an imported Go package in the file.
func (t *Tree) IsImport(name string) bool {
	_, ok := t.resolver().imports[name]
	return ok
}
