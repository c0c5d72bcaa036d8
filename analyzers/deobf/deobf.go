// Package deobf recovers strings that code hides from a reader and from string-based
// scanners: byte tables decoded at run time by XOR, ADD or SUB loops with a constant key,
// strings built one character at a time on the stack, and encoded literals handed to a
// decoder (base64). Where the key is in the code, the hidden string is decoded and returned,
// so a reviewer sees `http://c2.example/gate.php` instead of `{0x32, 0x2e, …}`.
//
// The same idioms are recognised in C, C++ and Go:
//
//   - decoding loops: `buf[i] ^= KEY` (C), `enc[i] ^= 0x5a` in `for i := range enc` (Go),
//     `out[i] = enc[i] ^ key[i % 4]`, `for i, c := range enc { out = append(out, c^k) }`,
//     `sb.WriteByte(b - 3)`, `out += string(c ^ k)`, `for (auto c : enc) s.push_back(c ^ k)`;
//   - decoder functions whose loop decodes a parameter with a key parameter (one byte or a
//     table), decoded at each call that passes a constant table — a name or an inline
//     `[]byte{…}` or string literal — and a constant key;
//   - stack strings: `s[0] = 'c'; s[1] = 'm'; …`, `b = append(b, 'c')`, `sb.WriteByte('c')`,
//     `s += "c"`, and character lists `{'c', 'm', 'd', 0}` / `[]byte{'c', 'm', 'd'}`;
//   - base64 literals (or constants holding one) handed to a decoder, and tables produced by
//     such a decoder and then XOR-, ADD- or SUB-decoded;
//   - Go's per-character ciphers: `strings.Map(func(r rune) rune { return r - 1 }, "ibdl")`.
//
// Names are resolved by scope: a table or constant is the one declared last before the use in
// the same function (or an enclosing one), else the file-level one, and a parameter hides
// both — Go code declares `enc := []byte{…}` in every function.
//
// It works on one parsed file (it is part of the per-file stage) and knows nothing of rules:
// the obfuscation pack chooses which techniques to report and how.
package deobf

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"glassbox/analyzers/syntax"
)

// Technique names how a string was hidden.
const (
	XOR    = "xor"
	ADD    = "add"
	SUB    = "sub"
	Stack  = "stack"
	Base64 = "base64"
)

// Techniques lists every technique, for validating rule packs.
var Techniques = []string{XOR, ADD, SUB, Stack, Base64}

// Decoded is one recovered string.
type Decoded struct {
	Node      syntax.Node // where to report: the decoding loop, the first store, the literal
	Technique string
	Key       string // the key as written ("0x5A", "key[4]"); "" when there is none
	Value     string // the recovered text
}

// MinLength is the shortest recovered text worth reporting: shorter runs are too often
// coincidences (a two-byte table XORed with a mask).
const MinLength = 4

// Find recovers every hidden string of a tree. decoder reports whether a call with the given
// names decodes its literal argument (base64 decoders named by the rules).
func Find(t *syntax.Tree, decoder func(names []string) bool) []Decoded {
	x := &finder{t: t, decoder: decoder, tables: map[string][]binding[[]byte]{},
		consts: map[string][]binding[int64]{}, decoders: map[string][]loopDecoder{}, decodedArgs: map[syntax.Node]bool{},
		params: map[syntax.Node][]string{}, layered: map[syntax.Node]bool{}, keyDecls: map[int]bool{}}
	x.collect()
	for i := 0; i < t.Len(); i++ {
		n := syntax.Node(i)
		switch t.Kind(n) {
		case "for_statement", "while_statement", "do_statement", "for_range_loop":
			x.loop(n)
		case "compound_statement", "block", "expression_case", "default_case", "type_case", "communication_case":
			x.stackStores(n)
		case "literal_value":
			if t.Kind(t.Parent(n)) == "composite_literal" {
				x.charList(n)
			}
		}
	}
	x.wrapperDecoders()
	x.decoderCalls()
	x.orphanLiterals()
	x.mapCalls()
	if decoder != nil {
		x.encodedLiterals()
	}
	x.dropKeys()
	return x.out
}

// finder holds what is known of the file while hidden strings are looked for.
type finder struct {
	t        *syntax.Tree
	decoder  func([]string) bool
	tables   map[string][]binding[[]byte] // byte tables by name, from initializers
	consts   map[string][]binding[int64]  // #define and const numbers
	decoders map[string][]loopDecoder
	// orphans are constant keys of decoding loops whose data could not be told, and
	// decodedArgs the literals decoder calls decoded (see orphanLiterals).
	orphans     []orphanKey
	decodedArgs map[syntax.Node]bool
	params      map[syntax.Node][]string // parameter names by function, cached
	layered     map[syntax.Node]bool     // decoder literals whose output a loop decodes further
	keyDecls    map[int]bool             // where the tables used as keys are declared
	out         []Decoded
}

// usedAsKey notes that the table named by n serves as a key: a key written as characters
// is not a hidden string of its own.
func (x *finder) usedAsKey(n, at syntax.Node) {
	if n = unwrap(x.t, n); x.t.Kind(n) == "identifier" {
		if b := visible(x, x.tables, x.t.Text(n), at); b != nil {
			x.keyDecls[b.at] = true
		}
	}
}

// dropKeys removes the stack strings that are the character lists of keys.
func (x *finder) dropKeys() {
	t := x.t
	x.out = slices.DeleteFunc(x.out, func(d Decoded) bool {
		if d.Technique != Stack {
			return false
		}
		for p, depth := d.Node, 0; p >= 0 && depth < 5; p, depth = t.Parent(p), depth+1 {
			if x.keyDecls[t.Start(p)] {
				return true
			}
		}
		return false
	})
}

// binding is one declaration of a name: where it is visible and what it holds.
type binding[T any] struct {
	scope syntax.Node // the enclosing function or closure; NoNode at file level
	at    int         // where it is declared
	v     T
	known bool        // false for a declaration whose value is not a table (or not a constant)
	from  syntax.Node // the literal a decoder call made the table of, or NoNode
}

// loopDecoder is a function whose loop decodes a parameter: decrypt(buf, len, key).
type loopDecoder struct {
	data  int    // parameter index of the data
	key   int    // parameter index of the key (a byte or a table), or -1
	fixed []byte // a constant key, when the key is not a parameter
	op    string
}

// collect reads byte tables and numeric constants from declarations anywhere in the file.
func (x *finder) collect() {
	t := x.t
	for i := 0; i < t.Len(); i++ {
		n := syntax.Node(i)
		switch t.Kind(n) {
		case "preproc_def":
			if v, ok := number(t.Text(t.Child(n, "value"))); ok {
				name := t.Text(t.Child(n, "name"))
				x.consts[name] = append(x.consts[name], binding[int64]{syntax.NoNode, t.Start(n), v, true, syntax.NoNode})
			}
		case "init_declarator":
			x.define(declName(t, t.Child(n, "declarator")), n, t.Child(n, "value"))
			if value := t.Child(n, "value"); t.Kind(value) == "initializer_list" {
				x.charList(value)
			}
		case "const_spec", "var_spec", "short_var_declaration", "assignment_statement":
			names := t.Children(n, "name")
			values := t.NamedChildren(t.Child(n, "value"))
			switch t.Kind(n) {
			case "short_var_declaration":
				names = t.NamedChildren(t.Child(n, "left"))
				values = t.NamedChildren(t.Child(n, "right"))
			case "assignment_statement":
				if strings.TrimSpace(t.Text(t.Child(n, "operator"))) != "=" {
					continue
				}
				names = t.NamedChildren(t.Child(n, "left"))
				values = t.NamedChildren(t.Child(n, "right"))
			}
			if len(values) == 1 && len(names) == 2 { // data, err := base64.StdEncoding.DecodeString(…)
				names = names[:1]
			}
			for k, name := range names {
				if k < len(values) && t.Kind(name) == "identifier" {
					x.define(t.Text(name), n, values[k])
				}
			}
		}
	}
}

// define records what name, declared by decl, holds: a byte table, a number, or the bytes a
// decoder call makes of its literal.
func (x *finder) define(name string, decl, value syntax.Node) {
	if name == "" || name == "_" || value < 0 {
		return
	}
	t := x.t
	scope := x.scope(decl)
	at := t.Start(decl)
	b, isTable := x.bytes(value, decl)
	from := syntax.NoNode
	if !isTable {
		b, from, isTable = x.decodedCall(value)
	}
	v, isConst := int64(0), false
	if !isTable {
		v, isConst = x.constValue(value, decl)
	}
	// A declaration of anything else is recorded too: a local `enc := readConfig()` hides
	// a file-level table enc, and `key = buf[0]` ends a constant key.
	x.tables[name] = append(x.tables[name], binding[[]byte]{scope, at, b, isTable, from})
	x.consts[name] = append(x.consts[name], binding[int64]{scope, at, v, isConst, syntax.NoNode})
}

// decodedCall returns the bytes a decoder call makes of its literal argument, whatever they
// are — the table a loop may decode further — and the literal.
func (x *finder) decodedCall(n syntax.Node) ([]byte, syntax.Node, bool) {
	t := x.t
	if x.decoder == nil || t.Kind(n) != "call_expression" || !x.decoder(t.CalleeNames(t.Child(n, "function"))) {
		return nil, syntax.NoNode, false
	}
	for _, a := range t.NamedChildren(t.Child(n, "arguments")) {
		if v, ok := t.StringValue(a); ok && len(v) >= 8 {
			if b, ok := unbase64(v); ok {
				return b, a, true
			}
		}
	}
	return nil, syntax.NoNode, false
}

// scope returns the function or closure n is in, or NoNode at file level.
func (x *finder) scope(n syntax.Node) syntax.Node {
	t := x.t
	for p := t.Parent(n); p >= 0; p = t.Parent(p) {
		if isScope(t, p) {
			return p
		}
	}
	return syntax.NoNode
}

func isScope(t *syntax.Tree, n syntax.Node) bool {
	switch t.Kind(n) {
	case "func_literal", "lambda_expression":
		return true
	}
	return t.IsFunction(n)
}

// lookup finds the binding of name visible at n: the last one declared before n in the
// innermost scope that declares it, else the file-level one. A parameter hides outer
// bindings.
func lookup[T any](x *finder, defs map[string][]binding[T], name string, at syntax.Node) (T, bool) {
	if b := visible(x, defs, name, at); b != nil {
		return b.v, true
	}
	var zero T
	return zero, false
}

// visible returns the known binding of name visible at n, or nil (see lookup).
func visible[T any](x *finder, defs map[string][]binding[T], name string, at syntax.Node) *binding[T] {
	bs := defs[name]
	if len(bs) == 0 {
		return nil
	}
	pos := x.t.Start(at)
	for s := x.scope(at); s >= 0; s = x.scope(s) {
		for i := len(bs) - 1; i >= 0; i-- {
			if bs[i].scope == s && bs[i].at <= pos {
				if !bs[i].known {
					return nil
				}
				return &bs[i]
			}
		}
		if indexOf(x.paramNames(s), name) >= 0 {
			return nil
		}
	}
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].scope < 0 && bs[i].known {
			return &bs[i]
		}
	}
	return nil
}

// table evaluates n, at node at, as a byte table: a literal, or a name bound to one.
func (x *finder) table(n, at syntax.Node) ([]byte, bool) {
	b, _, ok := x.tableFrom(n, at)
	return b, ok
}

// tableFrom is table, also returning the decoder literal the table was made from.
func (x *finder) tableFrom(n, at syntax.Node) ([]byte, syntax.Node, bool) {
	t := x.t
	n = unwrap(t, stripAddr(t, n))
	if b, ok := x.bytes(n, at); ok {
		return b, syntax.NoNode, true
	}
	if t.Kind(n) == "identifier" {
		if b := visible(x, x.tables, t.Text(n), at); b != nil {
			return b.v, b.from, true
		}
	}
	return nil, syntax.NoNode, false
}

// bytes reads a byte table: an initializer list or composite literal of small numbers and
// characters, a string literal, or a Go conversion of one (`[]byte("…")`).
func (x *finder) bytes(n, at syntax.Node) ([]byte, bool) {
	t := x.t
	switch t.Kind(n) {
	case "string_literal", "concatenated_string", "interpreted_string_literal", "raw_string_literal":
		v, ok := t.StringValue(n)
		return []byte(v), ok && v != "" // short tables are still keys
	case "composite_literal":
		return x.bytes(t.Child(n, "body"), at)
	case "type_conversion_expression": // []byte("...") in Go
		if isByteType(t.Text(t.Child(n, "type"))) {
			return x.bytes(t.Child(n, "operand"), at)
		}
		return nil, false
	case "call_expression": // []byte("...") or string(...) as a call
		if args := t.NamedChildren(t.Child(n, "arguments")); len(args) == 1 && isByteType(t.Text(t.Child(n, "function"))) {
			return x.bytes(args[0], at)
		}
		return nil, false
	case "initializer_list", "literal_value":
	default:
		return nil, false
	}
	var out []byte
	for _, e := range t.NamedChildren(n) {
		if t.Kind(e) == "literal_element" {
			e = t.NamedChild(e, 0)
		}
		v, ok := x.constValue(e, at)
		if !ok || v < 0 || v > 255 {
			return nil, false
		}
		out = append(out, byte(v))
	}
	return out, len(out) > 0
}

// isByteType reports whether a Go type converts to or from a byte sequence.
func isByteType(s string) bool {
	s = strings.Join(strings.Fields(s), "")
	switch s {
	case "[]byte", "[]uint8", "string", "[]rune":
		return true
	}
	return false
}

// charList reports `char s[] = {'c', 'm', 'd', …}` or Go's `[]byte{'c', 'm', 'd'}`: a
// string written as characters so that it is built on the stack and never appears as a
// literal. A trailing 0 terminator is allowed.
func (x *finder) charList(list syntax.Node) {
	t := x.t
	if x.scope(list) < 0 {
		// A table of characters at file scope is data in the binary, not a string put
		// together on the stack; generated headers write long texts so (openssl's
		// buildinf.h, to get past a compiler's limit on literals).
		return
	}
	kids := t.NamedChildren(list)
	var b []byte
	for i, e := range kids {
		if t.Kind(e) == "literal_element" {
			e = t.NamedChild(e, 0)
		}
		if i == len(kids)-1 && t.Text(e) == "0" {
			break
		}
		k := t.Kind(e)
		if k != "char_literal" && k != "rune_literal" {
			return
		}
		v, ok := char(t.Text(e))
		if !ok || v < 0 || v > utf8.MaxRune {
			return
		}
		switch {
		case k == "rune_literal": // Go: a rune, as string([]rune{…}) reads it
			b = utf8.AppendRune(b, rune(v))
		case v <= 255: // C: one byte per element
			b = append(b, byte(v))
		default:
			return
		}
	}
	if s, ok := printable(b); ok {
		x.out = append(x.out, Decoded{Node: list, Technique: Stack, Value: s})
	}
}

// constValue evaluates a small constant at node at: a number, a character, a known constant
// name, or a cast, conversion or parenthesis around one.
func (x *finder) constValue(n, at syntax.Node) (int64, bool) {
	t := x.t
	n = unwrap(t, n)
	switch t.Kind(n) {
	case "number_literal", "int_literal":
		return number(t.Text(n))
	case "char_literal", "rune_literal":
		return char(t.Text(n))
	case "identifier":
		return lookup(x, x.consts, t.Text(n), at)
	case "binary_expression":
		// Keys derived from a constant: (table_key >> 8) & 0xff.
		l, lok := x.constValue(t.Child(n, "left"), at)
		r, rok := x.constValue(t.Child(n, "right"), at)
		if !lok || !rok {
			return 0, false
		}
		switch t.Text(t.Child(n, "operator")) {
		case "&":
			return l & r, true
		case "|":
			return l | r, true
		case "^":
			return l ^ r, true
		case ">>":
			return int64(uint64(l) >> (uint64(r) & 63)), true
		case "<<":
			return l << (uint64(r) & 63), true
		case "+":
			return l + r, true
		case "-":
			return l - r, true
		}
	}
	return 0, false
}

// number parses a C or Go integer literal (suffixes such as U and L allowed).
func number(s string) (int64, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), "uUlL")
	v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64)
	return v, err == nil
}

// char parses a character literal: 'a', '\x41', '\n', '\0', Go's '\u00e9'.
func char(s string) (int64, bool) {
	// L'1', u'1', U'1', u8'1': the prefix says the width, not the value.
	if q := strings.IndexByte(s, '\''); q > 0 {
		s = s[q:]
	}
	if len(s) < 3 {
		return 0, false
	}
	body := s[1 : len(s)-1]
	if body[0] != '\\' {
		r, _ := utf8.DecodeRuneInString(body)
		return int64(r), true
	}
	v, err := strconv.Unquote(`"` + body + `"`)
	if err != nil || v == "" {
		if n, err := strconv.ParseInt(body[1:], 8, 64); err == nil {
			return n, true
		}
		return 0, false
	}
	if r, size := utf8.DecodeRuneInString(v); r != utf8.RuneError && size == len(v) && size > 1 {
		return int64(r), true // '\u00e9'
	}
	return int64(v[0]), true
}

func declName(t *syntax.Tree, d syntax.Node) string {
	for depth := 0; d >= 0 && depth < 8; depth++ {
		switch t.Kind(d) {
		case "identifier":
			return t.Text(d)
		case "array_declarator", "pointer_declarator", "init_declarator":
			d = t.Child(d, "declarator")
		default:
			return ""
		}
	}
	return ""
}

// printable reports whether decoded bytes read as text: at least MinLength characters after
// trailing NULs are cut, nearly all printable.
func printable(b []byte) (string, bool) {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	if len(b) < MinLength || !utf8.Valid(b) {
		return "", false
	}
	bad := 0
	for _, c := range b {
		if (c < 0x20 || c == 0x7f) && c != '\t' && c != '\n' && c != '\r' {
			bad++
		}
	}
	return string(b), bad*20 <= len(b)
}

// encodedLiterals decodes string literals, or names bound to them, handed to a decoder call
// (base64).
func (x *finder) encodedLiterals() {
	t := x.t
	for _, c := range t.Calls() {
		if !x.decoder(c.Names) {
			continue
		}
		for _, a := range c.Args() {
			v, ok := t.StringValue(a)
			if !ok && t.Kind(a) == "identifier" {
				var b []byte
				b, ok = lookup(x, x.tables, t.Text(a), a)
				v = string(b)
			}
			if !ok || len(v) < 8 {
				continue
			}
			if b, ok := unbase64(v); ok && !x.layered[a] {
				if s, ok := printable(b); ok {
					x.out = append(x.out, Decoded{Node: a, Technique: Base64, Value: s})
				}
			}
		}
	}
}

func unbase64(v string) ([]byte, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil {
			return b, true
		}
	}
	return nil, false
}
