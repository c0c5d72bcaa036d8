package syntax

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"glassbox/analyzers/source"
)

// textMacros wrap a string literal without changing what it says: Windows TCHAR macros,
// CoreFoundation and Qt literals. `_T("http://x")` is a literal for every rule.
var textMacros = map[string]bool{
	"_T": true, "TEXT": true, "_TEXT": true, "__T": true, "__TEXT": true, "L": true, "_L": true,
	"CFSTR": true, "QStringLiteral": true, "QLatin1String": true, "QLatin1StringView": true,
	"QByteArrayLiteral": true, "wxT": true, "_": true, "N_": true,
}

// IsString reports whether n is a string literal (or a concatenation of them, or one wrapped
// in a text macro such as _T).
func (t *Tree) IsString(n Node) bool {
	_, ok := t.StringValue(n)
	return ok
}

// StringValue returns the value a string literal denotes, with escapes decoded. Adjacent C
// literals are joined; a macro between them (`"%" PRIu64`) stands for nothing, which keeps
// the parts a rule can see.
func (t *Tree) StringValue(n Node) (string, bool) {
	return t.stringValue(n, 0)
}

func (t *Tree) stringValue(n Node, depth int) (string, bool) {
	if n < 0 || depth > MaxDepth {
		return "", false
	}
	switch t.Kind(n) {
	case "string_literal":
		return unquoteC(t.Text(n)), true
	case "raw_string_literal":
		if t.Lang == source.Go {
			return strings.ReplaceAll(strings.Trim(t.Text(n), "`"), "\r", ""), true
		}
		return rawCPP(t.Text(n)), true
	case "interpreted_string_literal":
		v, err := strconv.Unquote(t.Text(n))
		if err != nil {
			return strings.Trim(t.Text(n), `"`), true
		}
		return v, true
	case "concatenated_string":
		var b strings.Builder
		any := false
		for _, c := range t.NamedChildren(n) {
			if v, ok := t.stringValue(c, depth+1); ok {
				b.WriteString(v)
				any = true
			}
		}
		return b.String(), any
	case "parenthesized_expression":
		return t.stringValue(t.NamedChild(n, 0), depth+1)
	case "preproc_arg":
		return macroString(t.Text(n))
	case "call_expression":
		if arg, ok := t.textMacroArg(n); ok {
			return t.stringValue(arg, depth+1)
		}
	}
	return "", false
}

// textMacroArg returns the literal inside `_T("...")` and friends.
func (t *Tree) textMacroArg(call Node) (Node, bool) {
	fn := t.Child(call, "function")
	if t.Kind(fn) != "identifier" || !textMacros[t.Text(fn)] {
		return NoNode, false
	}
	list := t.NamedChildren(t.Child(call, "arguments"))
	if len(list) != 1 {
		return NoNode, false
	}
	return list[0], true
}

// macroString returns the value of a macro body that is string literals and nothing else —
// `#define C2_URL "http://c2.example/gate.php"`, `L"…"`, `_T("…")`, `"http://" "host"` —
// which the parser leaves as raw text: configuration headers keep their endpoints there.
func macroString(body string) (string, bool) {
	var b strings.Builder
	s := strings.TrimSpace(body)
	if s == "" {
		return "", false
	}
	for s != "" {
		wrapped := false
		for m := range textMacros {
			if rest, ok := strings.CutPrefix(s, m+"("); ok {
				s, wrapped = strings.TrimSpace(rest), true
				break
			}
		}
		q := strings.IndexByte(s, '"')
		if q < 0 || q > 2 || strings.Trim(s[:q], "LuU8") != "" {
			return "", false // not a string literal (an optional L, u, U or u8 prefix)
		}
		end := quoteEnd(s, q)
		if end >= len(s) {
			return "", false
		}
		b.WriteString(unquoteC(s[:end+1]))
		s = strings.TrimSpace(s[end+1:])
		if wrapped {
			if !strings.HasPrefix(s, ")") {
				return "", false
			}
			s = strings.TrimSpace(s[1:])
		}
		if strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/*") && strings.HasSuffix(s, "*/") {
			break // a comment after the value
		}
	}
	return b.String(), true
}

// quoteEnd returns the index of the quote that closes the string or character literal
// opened at s[i], skipping backslash escapes, or len(s) when the text ends first.
func quoteEnd[S ~string | ~[]byte](s S, i int) int {
	q := s[i]
	for i++; i < len(s) && s[i] != q; i++ {
		if s[i] == '\\' {
			i++
		}
	}
	return min(i, len(s))
}

// unquoteC decodes a C or C++ string literal, with any L/u/U/u8 prefix.
func unquoteC(lit string) string {
	if i := strings.IndexByte(lit, '"'); i >= 0 {
		lit = lit[i+1:]
	}
	lit = strings.TrimSuffix(lit, `"`)
	if !strings.Contains(lit, `\`) {
		return lit
	}
	var b strings.Builder
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' || i+1 >= len(lit) {
			b.WriteByte(lit[i])
			continue
		}
		i++
		i = decodeEscape(&b, lit, i)
	}
	return b.String()
}

var simpleEscapes = map[byte]byte{
	'n': '\n', 't': '\t', 'r': '\r', 'a': '\a', 'b': '\b', 'f': '\f', 'v': '\v',
	'\\': '\\', '\'': '\'', '"': '"', '?': '?', 'e': 0x1b,
}

// decodeEscape writes the character of the escape starting at lit[i] (just after the
// backslash) and returns the index of its last byte.
func decodeEscape(b *strings.Builder, lit string, i int) int {
	c := lit[i]
	if v, ok := simpleEscapes[c]; ok {
		b.WriteByte(v)
		return i
	}
	switch {
	case c == 'x':
		j := i + 1
		for j < len(lit) && isHex(lit[j]) {
			j++
		}
		writeCode(b, lit[i+1:j], 16)
		return j - 1
	case c >= '0' && c <= '7':
		j := i
		for j < len(lit) && j < i+3 && lit[j] >= '0' && lit[j] <= '7' {
			j++
		}
		writeCode(b, lit[i:j], 8)
		return j - 1
	case c == 'u' || c == 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if i+n < len(lit) {
			if v, err := strconv.ParseUint(lit[i+1:i+1+n], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
				b.WriteRune(rune(v))
				return i + n
			}
		}
	}
	b.WriteByte(c)
	return i
}

// writeCode writes a numeric escape. Values up to 0xFF are bytes (C semantics); wider ones,
// from wide literals, are code points.
func writeCode(b *strings.Builder, digits string, base int) {
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil || digits == "" {
		return
	}
	if v <= 0xFF {
		b.WriteByte(byte(v))
	} else if utf8.ValidRune(rune(v)) {
		b.WriteRune(rune(v))
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// rawCPP decodes a C++ raw string literal: prefix R"delim( ... )delim".
func rawCPP(lit string) string {
	q := strings.IndexByte(lit, '"')
	p := strings.IndexByte(lit, '(')
	if q < 0 || p < q {
		return lit
	}
	delim := lit[q+1 : p]
	body := lit[p+1:]
	return strings.TrimSuffix(strings.TrimSuffix(body, `"`), ")"+delim)
}

var macroName = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*[A-Z][A-Z0-9_]*$`)

var constantTypes = map[string]bool{
	"number_literal": true, "char_literal": true, "true": true, "false": true, "null": true,
	"nullptr": true, "sizeof_expression": true, "alignof_expression": true, "offsetof_expression": true,
	"int_literal": true, "float_literal": true, "imaginary_literal": true, "rune_literal": true,
	"nil": true, "iota": true,
}

// IsConstant reports whether n is a compile-time constant: literals, ALL_CAPS names (the
// macro and enum convention of C code), Go names declared const in the file, and operators,
// casts and conditionals over constants. "send(s, "ping", 4, 0)" sends a constant;
// "system(cmd)" does not run one.
func (t *Tree) IsConstant(n Node) bool { return t.isConstant(n, 0) }

func (t *Tree) isConstant(n Node, depth int) bool {
	if n < 0 || depth > MaxDepth {
		return false
	}
	typ := t.Kind(n)
	switch {
	case constantTypes[typ]:
		return true
	case t.IsString(n):
		return true
	case typ == "identifier":
		name := t.Text(n)
		if t.Lang == source.Go {
			return t.resolver().isConst(name)
		}
		return macroName.MatchString(name)
	case typ == "qualified_identifier":
		name := t.Text(n)
		return macroName.MatchString(name[strings.LastIndex(name, ":")+1:])
	case typ == "cast_expression":
		return t.isConstant(t.Child(n, "value"), depth+1)
	case typ == "parenthesized_expression", typ == "unary_expression", typ == "binary_expression",
		typ == "conditional_expression", typ == "expression_list":
		kids := t.NamedChildren(n)
		for _, c := range kids {
			if !t.isConstant(c, depth+1) {
				return false
			}
		}
		return len(kids) > 0
	}
	return false
}
