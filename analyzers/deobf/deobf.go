// Package deobf recovers strings that code hides from a reader and from string-based
// scanners: byte tables decoded at run time by XOR, ADD or SUB loops with a constant key,
// strings built one character at a time on the stack, and encoded literals handed to a
// decoder (base64). Where the key is in the code, the hidden string is decoded and returned,
// so a reviewer sees `http://c2.example/gate.php` instead of `{0x32, 0x2e, …}`.
//
// It works on one parsed file (it is part of the per-file stage) and knows nothing of rules:
// the obfuscation pack chooses which techniques to report and how.
package deobf

import (
	"encoding/base64"
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
	x := &finder{t: t, tables: map[string][]byte{}, consts: map[string]int64{}, decoders: map[string]loopDecoder{}}
	x.collect()
	for i := 0; i < t.Len(); i++ {
		n := syntax.Node(i)
		switch t.Kind(n) {
		case "for_statement", "while_statement", "do_statement":
			x.loop(n)
		case "compound_statement", "block":
			x.stackStores(n)
		}
	}
	x.decoderCalls()
	if decoder != nil {
		x.encodedLiterals(decoder)
	}
	return x.out
}

// finder holds what is known of the file while hidden strings are looked for.
type finder struct {
	t        *syntax.Tree
	tables   map[string][]byte // byte tables by name, from initializers
	consts   map[string]int64  // #define and const numbers
	decoders map[string]loopDecoder
	out      []Decoded
}

// loopDecoder is a function whose loop decodes a parameter: decrypt(buf, len, key).
type loopDecoder struct {
	data  int    // parameter index of the data
	key   int    // parameter index of a one-byte key, or -1
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
				x.consts[t.Text(t.Child(n, "name"))] = v
			}
		case "init_declarator":
			name := declName(t, t.Child(n, "declarator"))
			value := t.Child(n, "value")
			if b, ok := x.bytes(value); ok && name != "" {
				x.tables[name] = b
				x.charList(value, b)
			} else if v, ok := x.constValue(value); ok && name != "" {
				x.consts[name] = v
			}
		case "const_spec", "var_spec", "short_var_declaration":
			names := t.Children(n, "name")
			values := t.NamedChildren(t.Child(n, "value"))
			if t.Kind(n) == "short_var_declaration" {
				names = t.NamedChildren(t.Child(n, "left"))
				values = t.NamedChildren(t.Child(n, "right"))
			}
			for k, name := range names {
				if k >= len(values) {
					break
				}
				if b, ok := x.bytes(values[k]); ok {
					x.tables[t.Text(name)] = b
				} else if v, ok := x.constValue(values[k]); ok {
					x.consts[t.Text(name)] = v
				}
			}
		}
	}
}

// bytes reads a byte table: an initializer list or composite literal of small numbers and
// characters, or a string literal.
func (x *finder) bytes(n syntax.Node) ([]byte, bool) {
	t := x.t
	switch t.Kind(n) {
	case "string_literal", "concatenated_string", "interpreted_string_literal", "raw_string_literal":
		v, ok := t.StringValue(n)
		return []byte(v), ok && v != "" // short tables are still keys
	case "composite_literal":
		return x.bytes(t.Child(n, "body"))
	case "call_expression": // []byte("...") in Go
		if args := t.NamedChildren(t.Child(n, "arguments")); len(args) == 1 && strings.Contains(t.Text(t.Child(n, "function")), "byte") {
			return x.bytes(args[0])
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
		v, ok := x.constValue(e)
		if !ok || v < 0 || v > 255 {
			return nil, false
		}
		out = append(out, byte(v))
	}
	return out, len(out) > 0
}

// charList reports `char s[] = {'c', 'm', 'd', …}`: a string written as characters so that
// it is built on the stack and never appears as a literal.
func (x *finder) charList(list syntax.Node, b []byte) {
	t := x.t
	if t.Kind(list) != "initializer_list" {
		return
	}
	kids := t.NamedChildren(list)
	for i, e := range kids {
		terminator := i == len(kids)-1 && t.Text(e) == "0"
		if t.Kind(e) != "char_literal" && !terminator {
			return
		}
	}
	if s, ok := printable(b); ok {
		x.out = append(x.out, Decoded{Node: list, Technique: Stack, Value: s})
	}
}

// constValue evaluates a small constant: a number, a character, a known constant name, or a
// cast or parenthesis around one.
func (x *finder) constValue(n syntax.Node) (int64, bool) {
	t := x.t
	switch t.Kind(n) {
	case "number_literal", "int_literal":
		return number(t.Text(n))
	case "char_literal", "rune_literal":
		return char(t.Text(n))
	case "identifier":
		v, ok := x.consts[t.Text(n)]
		return v, ok
	case "parenthesized_expression":
		return x.constValue(t.NamedChild(n, 0))
	case "cast_expression":
		return x.constValue(t.Child(n, "value"))
	}
	return 0, false
}

// number parses a C or Go integer literal (suffixes such as U and L allowed).
func number(s string) (int64, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), "uUlL")
	v, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64)
	return v, err == nil
}

// char parses a character literal: 'a', '\x41', '\n', '\0'.
func char(s string) (int64, bool) {
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

// encodedLiterals decodes string literals handed to a decoder call (base64).
func (x *finder) encodedLiterals(decoder func([]string) bool) {
	t := x.t
	for _, c := range t.Calls() {
		if !decoder(c.Names) {
			continue
		}
		for _, a := range c.Args() {
			v, ok := t.StringValue(a)
			if !ok || len(v) < 8 {
				continue
			}
			if s, ok := unbase64(v); ok {
				x.out = append(x.out, Decoded{Node: a, Technique: Base64, Value: s})
			}
		}
	}
}

func unbase64(v string) (string, bool) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(v); err == nil {
			return printable(b)
		}
	}
	return "", false
}
