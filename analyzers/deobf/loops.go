package deobf

import (
	"fmt"
	"regexp"
	"strings"

	"glassbox/analyzers/syntax"
)

// loop looks for a decoding store in a loop: `buf[i] ^= KEY`, `out[i] = enc[i] ^ key[i % 4]`,
// `s[i] -= 3`, `out = append(out, c ^ k)`, `sb.WriteByte(enc[i] - 3)`. When the data is a
// known table and the key a constant, the string is decoded; when both are parameters of the
// enclosing function, that function is a decoder whose calls are decoded instead
// (decoderCalls). Stores in a nested loop are that loop's. Several stores with constant keys
// into one element (`v[i] ^= k1; v[i] ^= k2; …`, Mirai's four key bytes) are one store with
// the keys combined. A constant key whose data cannot be told (a field of a table filled
// elsewhere) is kept for the file's encoded-looking literals (orphanLiterals).
func (x *finder) loop(n syntax.Node) {
	t := x.t
	end := t.SubtreeEnd(n)
	var stores []loopStore
	for c := n + 1; c < end; c++ {
		data, key, how, ok := x.store(c)
		if !ok || innermostLoop(t, c) != n {
			continue
		}
		if last := len(stores) - 1; last >= 0 && stores[last].how == how && how != "" &&
			t.Text(unwrap(t, stores[last].data)) == t.Text(unwrap(t, data)) {
			stores[last].keys = append(stores[last].keys, key)
			continue
		}
		stores = append(stores, loopStore{at: c, data: data, keys: []syntax.Node{key}, how: how})
	}
	for _, st := range stores {
		k, keyText, fixed := x.storeKey(st)
		if x.decodeTable(n, st.at, st.data, k, keyText, st.how) || x.decoderFunction(n, st.at, st.data, st.keys[0], k, st.how) {
			return
		}
		if fixed {
			x.orphans = append(x.orphans, orphanKey{key: k, text: keyText, how: st.how})
		}
	}
}

// loopStore is one decoding store of a loop, with every key applied to its element.
type loopStore struct {
	at, data syntax.Node
	keys     []syntax.Node
	how      string
}

// storeKey evaluates a store's key: one key as keyBytes does, several constant bytes
// combined into one (XOR of XORs, sum of ADDs and SUBs). fixed says whether the key is a
// constant of the code.
func (x *finder) storeKey(st loopStore) ([]byte, string, bool) {
	if len(st.keys) == 1 {
		k, text, ok := x.keyBytes(st.at, st.keys[0])
		return k, text, ok && len(k) > 0
	}
	var acc byte
	texts := make([]string, len(st.keys))
	for i, kn := range st.keys {
		v, ok := x.constValue(kn, st.at)
		if !ok {
			return nil, "", false
		}
		if st.how == XOR {
			acc ^= byte(v)
		} else {
			acc += byte(v)
		}
		texts[i] = x.t.Text(unwrap(x.t, kn))
	}
	return []byte{acc}, fmt.Sprintf("0x%02X (%s)", acc, strings.Join(texts, ", ")), true
}

var loopKinds = map[string]bool{"for_statement": true, "while_statement": true, "do_statement": true, "for_range_loop": true}

func innermostLoop(t *syntax.Tree, n syntax.Node) syntax.Node {
	for p := t.Parent(n); p >= 0; p = t.Parent(p) {
		if loopKinds[t.Kind(p)] {
			return p
		}
		if isScope(t, p) {
			break
		}
	}
	return syntax.NoNode
}

// byteWriters append one byte or character to a buffer: Go's bytes.Buffer and
// strings.Builder, C++'s std::string and std::vector.
var byteWriters = map[string]bool{"WriteByte": true, "WriteRune": true, "push_back": true}

// store recognises the store of a decoding loop at node c and returns the data (an array
// or the sequence a range walks), the key expression and the operation.
func (x *finder) store(c syntax.Node) (data, key syntax.Node, how string, ok bool) {
	t := x.t
	switch t.Kind(c) {
	case "assignment_expression", "assignment_statement":
		left, right := t.Child(c, "left"), t.Child(c, "right")
		if t.Kind(c) == "assignment_statement" {
			if len(t.NamedChildren(left)) != 1 {
				return 0, 0, "", false
			}
			left, right = t.NamedChild(left, 0), t.NamedChild(right, 0)
		}
		op := strings.TrimSpace(t.Text(t.Child(c, "operator")))
		if dest := subscriptBase(t, left); dest >= 0 {
			switch op {
			case "^=":
				return dest, right, XOR, true
			case "+=":
				return dest, right, ADD, true
			case "-=":
				return dest, right, SUB, true
			case "=":
				return x.decodingExpr(c, right)
			}
			return 0, 0, "", false
		}
		// Go string building: out += string(enc[i] ^ k)
		if op == "+=" && t.Kind(left) == "identifier" && t.Kind(right) == "call_expression" && t.Text(t.Child(right, "function")) == "string" {
			if args := t.NamedChildren(t.Child(right, "arguments")); len(args) == 1 {
				return x.decodingExpr(c, args[0])
			}
		}
	case "call_expression":
		fn := t.Child(c, "function")
		args := t.NamedChildren(t.Child(c, "arguments"))
		switch t.Kind(fn) {
		case "identifier": // Go: out = append(out, enc[i] ^ k)
			if t.Text(fn) == "append" && len(args) == 2 && !strings.HasSuffix(t.Text(t.Child(c, "arguments")), "...)") {
				return x.decodingExpr(c, args[1])
			}
		case "selector_expression", "field_expression":
			field := t.Child(fn, "field")
			if byteWriters[t.Text(field)] && len(args) == 1 {
				return x.decodingExpr(c, args[0])
			}
		}
	}
	return 0, 0, "", false
}

// decodingExpr recognises the value a decoding loop stores, `enc[i] ^ key` or `c - 3` where
// c walks a table, and returns the data, the key and the operation. The data is the operand
// that walks the table: an element indexed by the loop (`enc[i]`, not `key[i % 4]`) or a
// range variable; with neither, it is not a decoding store.
func (x *finder) decodingExpr(at, e syntax.Node) (data, key syntax.Node, how string, ok bool) {
	t := x.t
	r := unwrap(t, e)
	if t.Kind(r) != "binary_expression" {
		return 0, 0, "", false
	}
	how = map[string]string{"^": XOR, "+": ADD, "-": SUB}[t.Text(t.Child(r, "operator"))]
	if how == "" {
		return 0, 0, "", false
	}
	l, rr := unwrap(t, t.Child(r, "left")), unwrap(t, t.Child(r, "right"))
	if src := x.walked(at, l); src >= 0 {
		return src, rr, how, true
	}
	if src := x.walked(at, rr); src >= 0 && how != SUB {
		return src, l, how, true
	}
	return 0, 0, "", false
}

// walked returns the sequence operand n walks element by element: the array of `a[i]` (not
// of a cyclic `key[i % n]`), or what a range variable ranges over.
func (x *finder) walked(at, n syntax.Node) syntax.Node {
	t := x.t
	if base := subscriptBase(t, n); base >= 0 {
		if strings.Contains(t.Text(subscriptIndex(t, n)), "%") {
			return syntax.NoNode
		}
		return base
	}
	if t.Kind(n) == "identifier" {
		return x.rangeOver(at, t.Text(n))
	}
	return syntax.NoNode
}

// rangeOver returns what the loop variable name ranges over, in a loop around at: Go's
// `for i, c := range enc` (c) and C++'s `for (auto c : enc)`.
func (x *finder) rangeOver(at syntax.Node, name string) syntax.Node {
	t := x.t
	for p := t.Parent(at); p >= 0 && !isScope(t, p); p = t.Parent(p) {
		switch t.Kind(p) {
		case "for_statement":
			for _, rc := range t.NamedChildren(p) {
				if t.Kind(rc) != "range_clause" {
					continue
				}
				vars := t.NamedChildren(t.Child(rc, "left"))
				if len(vars) == 2 && t.Text(vars[1]) == name {
					return t.Child(rc, "right")
				}
			}
		case "for_range_loop":
			if declName(t, t.Child(p, "declarator")) == name || strings.TrimLeft(t.Text(t.Child(p, "declarator")), "&*") == name {
				return t.Child(p, "right")
			}
		}
	}
	return syntax.NoNode
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

// subscriptIndex returns the index of `a[i]`: `index` in C and Go, `indices` in C++.
func subscriptIndex(t *syntax.Tree, n syntax.Node) syntax.Node {
	n = unwrap(t, n)
	if i := t.Child(n, "index"); i >= 0 {
		return i
	}
	return t.NamedChild(t.Child(n, "indices"), 0)
}

// conversions are the Go and C++ function-style conversions that keep a byte's value.
var conversions = map[string]bool{
	"byte": true, "rune": true, "uint8": true, "int8": true, "int": true, "uint": true,
	"int16": true, "uint16": true, "int32": true, "uint32": true, "int64": true, "uint64": true,
	"char": true, "BYTE": true, "uint8_t": true, "int8_t": true, "wchar_t": true, "TCHAR": true,
	"static_cast": true,
}

func unwrap(t *syntax.Tree, n syntax.Node) syntax.Node {
	for depth := 0; depth < 8; depth++ {
		switch t.Kind(n) {
		case "parenthesized_expression":
			n = t.NamedChild(n, 0)
		case "cast_expression":
			n = t.Child(n, "value")
		case "type_conversion_expression":
			n = t.Child(n, "operand")
		case "call_expression": // Go conversions: byte(x); C++ functional casts: char(x)
			fn := t.Child(n, "function")
			if t.Kind(fn) == "template_function" {
				fn = t.Child(fn, "name")
			}
			args := t.NamedChildren(t.Child(n, "arguments"))
			if len(args) != 1 || !conversions[t.Text(fn)] {
				return n
			}
			n = args[0]
		default:
			return n
		}
	}
	return n
}

// keyBytes evaluates a key at node at: a constant byte, a table indexed cyclically
// (`key[i % 4]`), or a range variable walking a table.
func (x *finder) keyBytes(at, k syntax.Node) ([]byte, string, bool) {
	t := x.t
	k = unwrap(t, k)
	if v, ok := x.constValue(k, at); ok {
		return []byte{byte(v)}, t.Text(k), true
	}
	base := subscriptBase(t, k)
	if base < 0 && t.Kind(k) == "identifier" {
		base = x.rangeOver(at, t.Text(k))
	}
	if base >= 0 {
		if b, ok := x.table(base, at); ok {
			x.usedAsKey(base, at)
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

// decodeTable decodes a known table with a constant key k.
func (x *finder) decodeTable(loop, at, data syntax.Node, k []byte, keyText, how string) bool {
	table, from, ok := x.tableFrom(data, at)
	if !ok || len(k) == 0 {
		return false
	}
	s, ok := printable(decode(table, k, how))
	if ok {
		x.out = append(x.out, Decoded{Node: loop, Technique: how, Key: keyText, Value: s})
		if from >= 0 {
			x.layered[from] = true // the literal's own text is only a step: not reported
		}
	}
	return ok
}

// decoderFunction records a function whose loop decodes one of its parameters (or a local
// copy of one: `cpy = malloc(n); memcpy(cpy, str, n)`), with a constant key (fixed, when
// the key evaluated) or a key parameter: a byte (`k`) or a table (`key[i % len(key)]`, or a
// range variable walking it).
func (x *finder) decoderFunction(loop, at, data, key syntax.Node, fixed []byte, how string) bool {
	t := x.t
	fn := enclosingFunction(t, loop)
	if fn < 0 {
		return false
	}
	params := x.paramNames(fn)
	d := x.paramData(fn, params, t.Text(unwrap(t, data)))
	if d < 0 {
		return false
	}
	dec := loopDecoder{data: d, key: -1, op: how}
	k := unwrap(t, key)
	if len(fixed) > 0 {
		dec.fixed = fixed
	} else if kp := indexOf(params, t.Text(k)); kp >= 0 {
		dec.key = kp
	} else if base := subscriptBase(t, k); base >= 0 && indexOf(params, t.Text(base)) >= 0 {
		dec.key = indexOf(params, t.Text(base))
	} else if src := x.rangeOver(at, t.Text(k)); t.Kind(k) == "identifier" && src >= 0 && indexOf(params, t.Text(src)) >= 0 {
		dec.key = indexOf(params, t.Text(src))
	} else {
		return false
	}
	if dec.key == d {
		return false
	}
	x.addDecoder(plainName(t.FunctionName(fn)), dec)
	return true
}

// copyCall matches the calls that copy their second argument into their first.
var copyCall = regexp.MustCompile(`(?i)(cpy|copy|move)`)

// paramData returns the index of the parameter a decoding loop's data is: the parameter
// itself, or a local the function copied it into. -1 when it is neither.
func (x *finder) paramData(fn syntax.Node, params []string, data string) int {
	if d := indexOf(params, data); d >= 0 {
		return d
	}
	t := x.t
	for _, c := range t.Calls() {
		if c.Node < fn || c.Node >= t.SubtreeEnd(fn) || len(c.Args()) < 2 {
			continue
		}
		args := c.Args()
		if !copyCall.MatchString(t.Text(c.Callee)) || t.Text(unwrap(t, args[0])) != data {
			continue
		}
		if d := indexOf(params, t.Text(unwrap(t, args[1]))); d >= 0 {
			return d
		}
	}
	return -1
}

// addDecoder records a decoder of a function, once.
func (x *finder) addDecoder(name string, dec loopDecoder) {
	for _, d := range x.decoders[name] {
		if d.data == dec.data && d.key == dec.key && d.op == dec.op && string(d.fixed) == string(dec.fixed) {
			return
		}
	}
	x.decoders[name] = append(x.decoders[name], dec)
}

// wrapperDecoders makes decoders of the functions that hand a parameter to a decoder with a
// constant key — `add_auth_entry(char *enc_user, …)` calling `deobf(enc_user, &len)` — so that
// their own calls with literals are decoded; wrappers of wrappers too.
func (x *finder) wrapperDecoders() {
	t := x.t
	for round, changed := 0, true; changed && round < 4; round++ {
		changed = false
		for _, c := range t.Calls() {
			fn := enclosingFunction(t, c.Node)
			if fn < 0 {
				continue
			}
			params := x.paramNames(fn)
			for _, name := range c.Names {
				for _, dec := range x.decoders[plainName(name)] {
					args := c.Args()
					if dec.key >= 0 || dec.data >= len(args) {
						continue
					}
					p := indexOf(params, t.Text(unwrap(t, args[dec.data])))
					wrapper := plainName(t.FunctionName(fn))
					if p < 0 || wrapper == plainName(name) {
						continue
					}
					before := len(x.decoders[wrapper])
					x.addDecoder(wrapper, loopDecoder{data: p, key: -1, fixed: dec.fixed, op: dec.op})
					changed = changed || len(x.decoders[wrapper]) > before
				}
			}
		}
	}
}

// decoderCalls decodes the calls of decoder functions whose arguments are constant: a table
// (by name or written inline) and a key (a number or a table).
func (x *finder) decoderCalls() {
	if len(x.decoders) == 0 {
		return
	}
	for _, c := range x.t.Calls() {
		for _, name := range c.Names {
			decs := x.decoders[plainName(name)]
			for _, dec := range decs {
				x.decoderCall(c, dec)
			}
			if len(decs) > 0 {
				break
			}
		}
	}
}

// decoderCall decodes one call of a decoder whose data argument is a constant table.
func (x *finder) decoderCall(c *syntax.Call, dec loopDecoder) {
	args := c.Args()
	if dec.data >= len(args) {
		return
	}
	table, ok := x.table(args[dec.data], c.Node)
	if !ok {
		return
	}
	key, keyText := dec.fixed, fmt.Sprintf("0x%02X", dec.fixed)
	if dec.key >= 0 {
		if dec.key >= len(args) {
			return
		}
		if key, keyText, ok = x.argKey(c.Node, args[dec.key]); !ok {
			return
		}
	}
	if s, ok := printable(decode(table, key, dec.op)); ok {
		at := c.Node
		if x.t.IsString(args[dec.data]) {
			at = args[dec.data] // a call may decode two literals: add_auth_entry(user, pass, …)
		}
		x.out = append(x.out, Decoded{Node: at, Technique: dec.op, Key: keyText, Value: s})
		x.decodedArgs[args[dec.data]] = true
	}
}

// argKey evaluates a key passed to a decoder: a constant byte or a constant table.
func (x *finder) argKey(at, a syntax.Node) ([]byte, string, bool) {
	t := x.t
	if v, ok := x.constValue(a, at); ok {
		return []byte{byte(v)}, t.Text(unwrap(t, a)), true
	}
	if b, ok := x.table(a, at); ok && len(b) > 0 {
		x.usedAsKey(stripAddr(t, a), at)
		if t.Kind(unwrap(t, a)) == "identifier" {
			return b, fmt.Sprintf("%s[%d]", t.Text(unwrap(t, a)), len(b)), true
		}
		return b, strings.Join(strings.Fields(t.Text(a)), " "), true
	}
	return nil, "", false
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

// paramNames lists a function's (or closure's) parameter names in order.
func (x *finder) paramNames(fn syntax.Node) []string {
	if ps, ok := x.params[fn]; ok {
		return ps
	}
	t := x.t
	list := t.Child(fn, "parameters")
	if list < 0 {
		d := t.Child(fn, "declarator")
		for depth := 0; d >= 0 && depth < 8 && t.Kind(d) != "function_declarator" && t.Kind(d) != "abstract_function_declarator"; depth++ {
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
	x.params[fn] = out
	return out
}
