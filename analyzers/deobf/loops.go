package deobf

import (
	"fmt"
	"strings"

	"glassbox/analyzers/syntax"
)

// loop looks for a decoding store in a loop: `buf[i] ^= KEY`, `out[i] = enc[i] ^ key[i % 4]`,
// `s[i] -= 3`. When the data is a known table and the key a constant, the string is decoded;
// when both are parameters of the enclosing function, that function is a decoder whose calls
// are decoded instead (decoderCalls).
func (x *finder) loop(n syntax.Node) {
	t := x.t
	end := t.SubtreeEnd(n)
	for c := n + 1; c < end; c++ {
		kind := t.Kind(c)
		if kind != "assignment_expression" && kind != "assignment_statement" {
			continue
		}
		left, right := t.Child(c, "left"), t.Child(c, "right")
		if kind == "assignment_statement" {
			left, right = t.NamedChild(left, 0), t.NamedChild(right, 0)
		}
		op := strings.TrimSpace(t.Text(t.Child(c, "operator")))
		data, key, how, ok := x.decodingStore(left, right, op)
		if !ok {
			continue
		}
		if x.decodeTable(n, data, key, how) || x.decoderFunction(n, data, key, how) {
			return
		}
	}
}

// decodingStore recognises the store of a decoding loop and returns the data array, the key
// expression and the operation.
func (x *finder) decodingStore(left, right syntax.Node, op string) (data, key syntax.Node, how string, ok bool) {
	t := x.t
	dest := subscriptBase(t, left)
	if dest < 0 {
		return 0, 0, "", false
	}
	switch op {
	case "^=":
		return dest, right, XOR, true
	case "+=":
		return dest, right, ADD, true
	case "-=":
		return dest, right, SUB, true
	case "=":
	default:
		return 0, 0, "", false
	}
	r := unwrap(t, right)
	if t.Kind(r) != "binary_expression" {
		return 0, 0, "", false
	}
	bop := t.Text(t.Child(r, "operator"))
	how = map[string]string{"^": XOR, "+": ADD, "-": SUB}[bop]
	if how == "" {
		return 0, 0, "", false
	}
	l, rr := unwrap(t, t.Child(r, "left")), unwrap(t, t.Child(r, "right"))
	if src := subscriptBase(t, l); src >= 0 {
		return src, rr, how, true
	}
	if src := subscriptBase(t, rr); src >= 0 && how != SUB {
		return src, l, how, true
	}
	return 0, 0, "", false
}

// subscriptBase returns the array of `a[i]` (C) or `a[i]` (Go), or NoNode.
func subscriptBase(t *syntax.Tree, n syntax.Node) syntax.Node {
	n = unwrap(t, n)
	switch t.Kind(n) {
	case "subscript_expression":
		return t.Child(n, "argument")
	case "index_expression":
		return t.Child(n, "operand")
	}
	return syntax.NoNode
}

func unwrap(t *syntax.Tree, n syntax.Node) syntax.Node {
	for depth := 0; depth < 8; depth++ {
		switch t.Kind(n) {
		case "parenthesized_expression":
			n = t.NamedChild(n, 0)
		case "cast_expression":
			n = t.Child(n, "value")
		case "call_expression": // Go conversions: byte(x)
			args := t.NamedChildren(t.Child(n, "arguments"))
			if len(args) != 1 || !strings.Contains(t.Text(t.Child(n, "function")), "byte") {
				return n
			}
			n = args[0]
		default:
			return n
		}
	}
	return n
}

// keyBytes evaluates a key: a constant byte, or a table indexed cyclically (`key[i % 4]`).
func (x *finder) keyBytes(k syntax.Node) ([]byte, string, bool) {
	t := x.t
	k = unwrap(t, k)
	if v, ok := x.constValue(k); ok {
		return []byte{byte(v)}, t.Text(k), true
	}
	if base := subscriptBase(t, k); base >= 0 {
		if b, ok := x.tables[t.Text(base)]; ok {
			return b, fmt.Sprintf("%s[%d]", t.Text(base), len(b)), true
		}
	}
	return nil, "", false
}

func decode(data, key []byte, how string) []byte {
	out := make([]byte, len(data))
	for i, b := range data {
		k := key[i%len(key)]
		switch how {
		case XOR:
			out[i] = b ^ k
		case ADD:
			out[i] = b + k
		case SUB:
			out[i] = b - k
		}
	}
	return out
}

// decodeTable decodes a known table with a constant key.
func (x *finder) decodeTable(at, data, key syntax.Node, how string) bool {
	table, ok := x.tables[x.t.Text(data)]
	if !ok {
		return false
	}
	k, keyText, ok := x.keyBytes(key)
	if !ok || len(k) == 0 {
		return false
	}
	s, ok := printable(decode(table, k, how))
	if ok {
		x.out = append(x.out, Decoded{Node: at, Technique: how, Key: keyText, Value: s})
	}
	return ok
}

// decoderFunction records a function whose loop decodes one of its parameters.
func (x *finder) decoderFunction(at, data, key syntax.Node, how string) bool {
	t := x.t
	fn := enclosingFunction(t, at)
	if fn < 0 {
		return false
	}
	params := paramNames(t, fn)
	d := indexOf(params, t.Text(data))
	if d < 0 {
		return false
	}
	dec := loopDecoder{data: d, key: -1, op: how}
	if kb, _, ok := x.keyBytes(key); ok {
		dec.fixed = kb
	} else if kp := indexOf(params, t.Text(unwrap(t, key))); kp >= 0 {
		dec.key = kp
	} else {
		return false
	}
	x.decoders[plainName(t.FunctionName(fn))] = dec
	return true
}

// decoderCalls decodes the calls of decoder functions whose arguments are constant.
func (x *finder) decoderCalls() {
	if len(x.decoders) == 0 {
		return
	}
	t := x.t
	for _, c := range x.t.Calls() {
		for _, name := range c.Names {
			dec, ok := x.decoders[name]
			args := c.Args()
			if !ok || dec.data >= len(args) {
				continue
			}
			table, ok := x.tables[t.Text(unwrap(t, stripAddr(t, args[dec.data])))]
			if !ok {
				continue
			}
			key, keyText := dec.fixed, ""
			if dec.key >= 0 {
				if dec.key >= len(args) {
					continue
				}
				if key, keyText, ok = x.keyBytes(args[dec.key]); !ok {
					continue
				}
			}
			if s, ok := printable(decode(table, key, dec.op)); ok {
				x.out = append(x.out, Decoded{Node: c.Node, Technique: dec.op, Key: keyText, Value: s})
			}
			break
		}
	}
}

func stripAddr(t *syntax.Tree, n syntax.Node) syntax.Node {
	if k := t.Kind(n); (k == "pointer_expression" || k == "unary_expression") && strings.HasPrefix(t.Text(n), "&") {
		return t.NamedChild(n, 0)
	}
	return n
}

func plainName(name string) string {
	if i := strings.LastIndexAny(name, ":."); i >= 0 {
		return name[i+1:]
	}
	return name
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s && s != "" {
			return i
		}
	}
	return -1
}

func enclosingFunction(t *syntax.Tree, n syntax.Node) syntax.Node {
	for p := t.Parent(n); p >= 0; p = t.Parent(p) {
		if t.IsFunction(p) {
			return p
		}
	}
	return syntax.NoNode
}

// paramNames lists a function's parameter names in order.
func paramNames(t *syntax.Tree, fn syntax.Node) []string {
	list := t.Child(fn, "parameters")
	if list < 0 {
		d := t.Child(fn, "declarator")
		for depth := 0; d >= 0 && depth < 8 && t.Kind(d) != "function_declarator"; depth++ {
			d = t.Child(d, "declarator")
		}
		list = t.Child(d, "parameters")
	}
	var out []string
	for _, p := range t.NamedChildren(list) {
		if names := t.Children(p, "name"); len(names) > 0 {
			for _, n := range names {
				out = append(out, t.Text(n))
			}
			continue
		}
		out = append(out, declName(t, t.Child(p, "declarator")))
	}
	return out
}

// stackStores finds strings built a character at a time: consecutive statements
// `s[0] = 'c'; s[1] = 'm'; …` in one block.
func (x *finder) stackStores(block syntax.Node) {
	t := x.t
	var name string
	var first syntax.Node
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
	for _, st := range t.NamedChildren(block) {
		arr, idx, val, ok := x.charStore(st)
		if !ok || (name != "" && arr != name) {
			flush()
		}
		if !ok {
			continue
		}
		if name == "" {
			name, first = arr, st
		}
		chars[idx] = val
	}
	flush()
}

// charStore recognises `s[N] = 'c';` (or a small number) as a statement.
func (x *finder) charStore(st syntax.Node) (string, int64, byte, bool) {
	t := x.t
	e := st
	if t.Kind(e) == "expression_statement" {
		e = t.NamedChild(e, 0)
	}
	var left, right syntax.Node
	switch t.Kind(e) {
	case "assignment_expression":
		left, right = t.Child(e, "left"), t.Child(e, "right")
	case "assignment_statement":
		left, right = t.NamedChild(t.Child(e, "left"), 0), t.NamedChild(t.Child(e, "right"), 0)
	default:
		return "", 0, 0, false
	}
	if strings.TrimSpace(t.Text(t.Child(e, "operator"))) != "=" {
		return "", 0, 0, false
	}
	base := subscriptBase(t, left)
	if base < 0 {
		return "", 0, 0, false
	}
	index := t.Child(unwrap(t, left), "index")
	i, ok := x.constValue(index)
	if !ok {
		return "", 0, 0, false
	}
	v, ok := x.constValue(right)
	if !ok || v < 0 || v > 255 {
		return "", 0, 0, false
	}
	return t.Text(base), i, byte(v), true
}
