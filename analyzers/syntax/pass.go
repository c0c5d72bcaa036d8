package syntax

import (
	"strings"

	"glassbox/analyzers/source"
)

// role says what a node type means to the index; roles are looked up by symbol, once per
// node, in a table built per language.
type role uint8

const (
	roleNone role = iota
	roleCall
	roleFunc  // a named function definition
	roleScope // a lambda or closure: its own locals, but not its own name
	roleClass
	roleImport
	roleDecl
)

var roleByKind = map[string]role{
	"call_expression":     roleCall,
	"function_definition": roleFunc, "function_declaration": roleFunc, "method_declaration": roleFunc,
	"lambda_expression": roleScope, "func_literal": roleScope,
	"class_specifier": roleClass, "struct_specifier": roleClass,
	"import_spec": roleImport,
	"declaration": roleDecl, "parameter_declaration": roleDecl, "field_declaration": roleDecl,
	"optional_parameter_declaration": roleDecl, "var_spec": roleDecl, "short_var_declaration": roleDecl,
	"const_spec": roleDecl,
}

func (l *language) roles() []role {
	l.roleOnce.Do(func() {
		l.roleOf = make([]role, len(l.kinds))
		for i, k := range l.kinds {
			l.roleOf[i] = roleByKind[k]
		}
	})
	return l.roleOf
}

// index gathers, in one pass over the nodes, the facts glassbox keeps about a file: its calls
// (named as rules name them), functions, classes, imports and declarations. Declarations are
// only read on the first question about a type.
func (t *Tree) index() {
	if t.res != nil {
		return
	}
	t.res = newResolver(t)
	roles := t.lang.roles()
	var calls []Node
	for i, fn := range t.nodes {
		if int(fn.kind) >= len(roles) {
			continue // ERROR
		}
		n := Node(i)
		switch roles[fn.kind] {
		case roleCall:
			calls = append(calls, n)
		case roleFunc:
			t.funcs = append(t.funcs, &span{start: fn.start, end: fn.end, node: n, named: true})
		case roleScope:
			t.funcs = append(t.funcs, &span{start: fn.start, end: fn.end, node: n})
		case roleClass:
			if name, body := t.Child(n, "name"), t.Child(n, "body"); name >= 0 && body >= 0 {
				t.classes = append(t.classes, &span{start: fn.start, end: fn.end, node: n, named: true,
					name: normalizeQualified(t.Text(name)), nameDone: true})
			}
		case roleImport:
			t.res.addImport(n)
		case roleDecl:
			t.res.pending = append(t.res.pending, n)
		}
	}
	// Nodes are in preorder, so spans are already sorted by start.
	t.calls = make([]*Call, 0, len(calls))
	for _, n := range calls {
		c := &Call{Node: n, Callee: t.Child(n, "function"), list: t.Child(n, "arguments")}
		c.args = t.NamedChildren(c.list)
		c.Names = t.calleeNames(c.Callee, 0)
		t.calls = append(t.calls, c)
	}
}

// Pass runs the query patterns of a language's rules over a tree, all at once: a query walk
// costs about a quarter of a parse whatever it matches, so every rule pattern of a language is
// joined into one query. It is compiled once and safe for concurrent use.
type Pass struct {
	q *Query // nil when no rule has patterns for the language
}

// NewPass compiles the patterns srcs, joined in order: pattern i of the joined patterns is
// reported to Run's callback as i.
func NewPass(lang source.Lang, srcs []string) (*Pass, error) {
	if len(srcs) == 0 {
		return &Pass{}, nil
	}
	q, err := CompileQuery(lang, strings.Join(srcs, "\n"))
	if err != nil {
		return nil, err
	}
	return &Pass{q: q}, nil
}

// Close frees the pass's query.
func (p *Pass) Close() {
	if p.q != nil {
		p.q.Close()
	}
}

// Run calls fn for every match that passes its predicates, in document order. Predicates are
// checked after the walk, with the file's facts indexed (a Go constant may be declared below
// its use).
func (p *Pass) Run(t *Tree, fn func(pattern int, m *Match)) {
	if p.q == nil {
		return
	}
	var ms []*Match
	p.q.each(t, func(m *Match) { ms = append(ms, m) })
	t.index()
	for _, m := range ms {
		if p.q.accept(t, m) {
			fn(m.Pattern, m)
		}
	}
}
