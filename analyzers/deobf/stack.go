package deobf

import (
	"strings"

	"glassbox/analyzers/syntax"
)

// stackStores finds strings built a character at a time by consecutive statements of one
// block: indexed stores `s[0] = 'c'; s[1] = 'm'; …`, or appends `b = append(b, 'c')`,
// `sb.WriteByte('c')`, `s.push_back('c')`, `s += 'c'`, `s += "c"`.
func (x *finder) stackStores(block syntax.Node) {
	var name string
	var first syntax.Node
	var appending bool
	chars := map[int64]byte{}
	flush := func() {
		if len(chars) >= MinLength {
			b := make([]byte, 0, len(chars))
			for i := int64(0); ; i++ {
				c, ok := chars[i]
				if !ok {
					break
				}
				b = append(b, c)
			}
			if s, ok := printable(b); ok {
				x.out = append(x.out, Decoded{Node: first, Technique: Stack, Value: s})
			}
		}
		name, chars = "", map[int64]byte{}
	}
	for _, st := range x.t.NamedChildren(block) {
		if arr, idx, val, ok := x.charStore(st); ok {
			if name != arr || appending {
				flush()
				name, first, appending = arr, st, false
			}
			chars[idx] = val
			continue
		}
		if target, vals, ok := x.charAppend(st); ok {
			if name != target || !appending {
				flush()
				name, first, appending = target, st, true
			}
			for _, v := range vals {
				chars[int64(len(chars))] = v
			}
			continue
		}
		flush()
	}
	flush()
}

// assignment returns the sides and operator of an assignment statement, C or Go.
func (x *finder) assignment(st syntax.Node) (left, right syntax.Node, op string, ok bool) {
	t := x.t
	e := st
	if t.Kind(e) == "expression_statement" {
		e = t.NamedChild(e, 0)
	}
	switch t.Kind(e) {
	case "assignment_expression":
		left, right = t.Child(e, "left"), t.Child(e, "right")
	case "assignment_statement":
		if len(t.NamedChildren(t.Child(e, "left"))) != 1 || len(t.NamedChildren(t.Child(e, "right"))) != 1 {
			return 0, 0, "", false
		}
		left, right = t.NamedChild(t.Child(e, "left"), 0), t.NamedChild(t.Child(e, "right"), 0)
	default:
		return 0, 0, "", false
	}
	return left, right, strings.TrimSpace(t.Text(t.Child(e, "operator"))), true
}

// charStore recognises `s[N] = 'c';` (or a small number) as a statement.
func (x *finder) charStore(st syntax.Node) (string, int64, byte, bool) {
	t := x.t
	left, right, op, ok := x.assignment(st)
	if !ok || op != "=" {
		return "", 0, 0, false
	}
	base := subscriptBase(t, left)
	if base < 0 {
		return "", 0, 0, false
	}
	i, ok := x.constValue(subscriptIndex(t, left), st)
	if !ok {
		return "", 0, 0, false
	}
	v, ok := x.constValue(right, st)
	if !ok || v < 0 || v > 255 {
		return "", 0, 0, false
	}
	return t.Text(base), i, byte(v), true
}

// charAppend recognises a statement appending characters to a buffer: `b = append(b, 'c',
// 'm')`, `sb.WriteByte('c')`, `sb.WriteRune('c')`, `s.push_back('c')`, `s += 'c'` and
// `s += "c"`. It returns the buffer's name and the characters.
func (x *finder) charAppend(st syntax.Node) (string, []byte, bool) {
	t := x.t
	if left, right, op, ok := x.assignment(st); ok {
		if t.Kind(left) != "identifier" {
			return "", nil, false
		}
		switch op {
		case "+=":
			if c, ok := x.oneChar(right, st); ok {
				return t.Text(left), []byte{c}, true
			}
		case "=": // b = append(b, 'c', 'm')
			args := t.NamedChildren(t.Child(right, "arguments"))
			if t.Kind(right) != "call_expression" || t.Text(t.Child(right, "function")) != "append" ||
				len(args) < 2 || t.Text(args[0]) != t.Text(left) {
				return "", nil, false
			}
			var out []byte
			for _, a := range args[1:] {
				c, ok := x.charConst(a, st)
				if !ok {
					return "", nil, false
				}
				out = append(out, c)
			}
			return t.Text(left), out, true
		}
		return "", nil, false
	}
	e := st
	if t.Kind(e) == "expression_statement" {
		e = t.NamedChild(e, 0)
	}
	if t.Kind(e) != "call_expression" {
		return "", nil, false
	}
	fn := t.Child(e, "function")
	args := t.NamedChildren(t.Child(e, "arguments"))
	if k := t.Kind(fn); (k != "selector_expression" && k != "field_expression") || len(args) != 1 {
		return "", nil, false
	}
	field := t.Text(t.Child(fn, "field"))
	var c byte
	var ok bool
	switch field {
	case "WriteByte", "WriteRune", "push_back":
		c, ok = x.charConst(args[0], st)
	case "WriteString":
		c, ok = x.oneChar(args[0], st)
	}
	if !ok {
		return "", nil, false
	}
	recv := t.Child(fn, "operand")
	if recv < 0 {
		recv = t.Child(fn, "argument")
	}
	return t.Text(recv), []byte{c}, true
}

// charConst evaluates a character constant: 'c' or a small number.
func (x *finder) charConst(n, at syntax.Node) (byte, bool) {
	v, ok := x.constValue(n, at)
	return byte(v), ok && v > 0 && v <= 255
}

// oneChar evaluates what `s += …` adds when it is one character: 'c', "c" or string('c').
func (x *finder) oneChar(n, at syntax.Node) (byte, bool) {
	t := x.t
	if v, ok := t.StringValue(n); ok {
		return v[0], len(v) == 1
	}
	if t.Kind(n) == "call_expression" && t.Text(t.Child(n, "function")) == "string" {
		if args := t.NamedChildren(t.Child(n, "arguments")); len(args) == 1 {
			return x.charConst(args[0], at)
		}
	}
	switch t.Kind(unwrap(t, n)) {
	case "char_literal", "rune_literal":
		return x.charConst(n, at)
	}
	return 0, false
}
