package deobf

import (
	"slices"
	"strings"
	"unicode/utf8"

	"glassbox/analyzers/syntax"
)

// mapCalls decodes Go's per-character ciphers: `strings.Map(func(r rune) rune { return r - 1
// }, "ibdl")`, and bytes.Map alike, when the mapping is one XOR, ADD or SUB with a constant
// and the text is a constant.
func (x *finder) mapCalls() {
	t := x.t
	for _, c := range t.Calls() {
		if !slices.Contains(c.Names, "strings.Map") && !slices.Contains(c.Names, "bytes.Map") {
			continue
		}
		args := c.Args()
		if len(args) != 2 || t.Kind(args[0]) != "func_literal" {
			continue
		}
		how, key, keyNode, ok := x.runeMapping(args[0])
		if !ok {
			continue
		}
		text, ok := x.table(args[1], c.Node)
		if !ok || !utf8.Valid(text) {
			continue
		}
		var out []byte
		for _, r := range string(text) {
			switch how {
			case XOR:
				r ^= rune(key)
			case ADD:
				r += rune(key)
			case SUB:
				r -= rune(key)
			}
			if r < 0 || r > utf8.MaxRune {
				ok = false
				break
			}
			out = utf8.AppendRune(out, r)
		}
		if s, good := printable(out); ok && good {
			x.out = append(x.out, Decoded{Node: c.Node, Technique: how, Key: strings.TrimSpace(t.Text(keyNode)), Value: s})
		}
	}
}

// runeMapping reads a mapping function whose body is `return r OP K`, and returns the
// operation, the key and the key as written.
func (x *finder) runeMapping(fn syntax.Node) (string, int64, syntax.Node, bool) {
	t := x.t
	params := x.paramNames(fn)
	stmts := t.NamedChildren(t.Child(fn, "body"))
	if len(params) != 1 || len(stmts) != 1 || t.Kind(stmts[0]) != "return_statement" {
		return "", 0, 0, false
	}
	e := t.NamedChild(stmts[0], 0)
	if t.Kind(e) == "expression_list" {
		e = t.NamedChild(e, 0)
	}
	e = unwrap(t, e)
	if t.Kind(e) != "binary_expression" {
		return "", 0, 0, false
	}
	how := map[string]string{"^": XOR, "+": ADD, "-": SUB}[t.Text(t.Child(e, "operator"))]
	l, r := unwrap(t, t.Child(e, "left")), unwrap(t, t.Child(e, "right"))
	if t.Text(l) != params[0] {
		if how == SUB || t.Text(r) != params[0] {
			return "", 0, 0, false
		}
		l, r = r, l
	}
	k, ok := x.constValue(r, e)
	if how == "" || !ok {
		return "", 0, 0, false
	}
	return how, k, r, true
}
