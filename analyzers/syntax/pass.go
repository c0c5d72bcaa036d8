package syntax

import (
	"fmt"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"

	"glassbox/analyzers/source"
)

// Walking a tree through a query costs about a quarter of parsing it, whatever the query
// matches, so glassbox walks each tree once: a Pass joins glassbox's own patterns (calls,
// declarations, imports) and every rule pattern of a language into one query.

// The fact patterns capture whole nodes and read their fields in Go: a pattern with fields
// and wildcards costs the query engine twice as much as a bare node type (measured on the
// benchmark corpus), and most of those fields are never read.

const callQuerySrc = "(call_expression) @call\n"

const cppFactQuerySrc = `
(function_definition) @fn.def
[(declaration) (parameter_declaration) (field_declaration)] @decl
`

// cppScopeQuerySrc holds what C++ adds to C: classes (whose methods are written inside them),
// lambdas (whose locals are their own) and default-valued parameters.
const cppScopeQuerySrc = `
(class_specifier name: (_) @cls.name body: (_)) @cls
(struct_specifier name: (_) @cls.name body: (_)) @cls
(lambda_expression) @fn.scope
(optional_parameter_declaration) @decl
`

const goFactQuerySrc = `
[(function_declaration) (method_declaration)] @fn.def
(func_literal) @fn.scope
(import_spec) @import
[(parameter_declaration) (var_spec) (short_var_declaration) (field_declaration) (const_spec)] @decl
`

var builtinSrc = map[source.Lang]string{
	source.C:   callQuerySrc + cppFactQuerySrc,
	source.CPP: callQuerySrc + cppFactQuerySrc + cppScopeQuerySrc,
	source.Go:  callQuerySrc + goFactQuerySrc,
}

// Pass is one query for one language that gathers, in a single walk of a tree, the facts
// glassbox keeps about the file — its calls and declarations — and the matches of extra
// patterns (the rules'). It is compiled once and safe for concurrent use.
type Pass struct {
	q       *Query
	builtin int // patterns below this index are glassbox's own
}

// NewPass compiles a pass for lang whose extra patterns are srcs, joined in order: pattern
// i of the joined extra patterns is reported to Run's callback as i.
func NewPass(lang source.Lang, srcs []string) (*Pass, error) {
	base, err := CompileQuery(lang, builtinSrc[lang])
	if err != nil {
		return nil, fmt.Errorf("syntax: built-in %s patterns: %w", lang, err)
	}
	builtin := base.PatternCount()
	if len(srcs) == 0 {
		return &Pass{q: base, builtin: builtin}, nil
	}
	base.Close()
	q, err := CompileQuery(lang, builtinSrc[lang]+"\n"+strings.Join(srcs, "\n"))
	if err != nil {
		return nil, err
	}
	return &Pass{q: q, builtin: builtin}, nil
}

// Close frees the pass's query.
func (p *Pass) Close() { p.q.Close() }

// Run walks t once: it records t's calls and declarations, then calls fn for every match
// of an extra pattern that passes its predicates, in document order. Predicates are checked
// after the walk, when every declaration of the file is known (a Go constant may be declared
// below its use).
func (p *Pass) Run(t *Tree, fn func(pattern int, m *Match)) {
	var facts, extra []*Match
	p.q.each(t, func(m *Match) {
		if m.Pattern < p.builtin {
			facts = append(facts, m)
		} else {
			extra = append(extra, m)
		}
	})
	t.index(facts)
	for _, m := range extra {
		if p.q.accept(t, m) {
			m.Pattern -= p.builtin
			fn(m.Pattern, m)
		}
	}
}

var (
	factPassOnce sync.Once
	factPasses   map[source.Lang]*Pass
)

// index builds the tree's calls and resolver from fact matches; with nil facts it first
// runs the facts-only pass of the tree's language.
func (t *Tree) index(facts []*Match) {
	if facts == nil {
		factPassOnce.Do(func() {
			factPasses = map[source.Lang]*Pass{}
			for _, l := range source.Langs {
				p, err := NewPass(l, nil)
				if err != nil {
					panic(err.Error()) // the built-in patterns are fixed: a test compiles them
				}
				factPasses[l] = p
			}
		})
		factPasses[t.Lang].q.each(t, func(m *Match) { facts = append(facts, m) })
	}
	t.res = newResolver(t)
	var calls []*sitter.Node
	for _, m := range facts {
		switch {
		case m.Capture("call") != nil:
			calls = append(calls, m.Capture("call"))
		case m.Capture("import") != nil:
			t.res.addImport(m.Capture("import"))
		case m.Capture("decl") != nil:
			t.res.pending = append(t.res.pending, m.Capture("decl"))
		default:
			t.addSpan(m)
		}
	}
	sortSpans(t.funcs)
	sortSpans(t.classes)
	t.calls = make([]*Call, 0, len(calls))
	for _, n := range calls {
		c := &Call{Node: n, Callee: n.ChildByFieldName("function"), list: n.ChildByFieldName("arguments")}
		c.Names = t.calleeNames(c.Callee, 0)
		t.calls = append(t.calls, c)
	}
}
