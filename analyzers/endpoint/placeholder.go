package endpoint

import "strings"

// A placeholder is the part of a template that a program fills in at run time: printf verbs
// (%s, %ls, %08x, %I64u), Windows environment references (%SERVER%), brace fields as used
// by .NET, Python, fmt libraries and Go templates ({0}, {host}, {}, {{.Host}}), and shell or
// make variables ($HOST, ${HOST}, $(HOST)).

// maxPlaceholder bounds how far a brace or variable placeholder may reach, so that a stray
// "{" in a megabyte of text costs nothing.
const maxPlaceholder = 64

// hasPlaceholder reports whether s contains at least one placeholder.
func hasPlaceholder(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+1 < len(s) && s[i+1] == '%' {
			i++ // "%%" is a literal percent sign, not a verb
			continue
		}
		if placeholderLen(s, i) > 0 {
			return true
		}
	}
	return false
}

// placeholderLen returns the length of the placeholder starting at s[i], or 0 if none does.
func placeholderLen(s string, i int) int {
	switch s[i] {
	case '%':
		if isPercentEscape(s, i) {
			return 0
		}
		if n := envVarLen(s, i); n > 0 {
			return n
		}
		return printfLen(s, i)
	case '{':
		return braceLen(s, i)
	case '$':
		return dollarLen(s, i)
	}
	return 0
}

// isPercentEscape reports whether s[i:] starts with a URL percent-escape rather than a verb.
// "%2F", "%20", "%C3" and "%0A" are escapes even though "%C" and "%20s" parse as verbs,
// because URLs are full of them. The exception is a 0 or 1 followed by a decimal digit:
// that is a zero-padded or short width ("%08x", "%02d", "%10s"), and the escapes it would
// spell, %00-%19, are control characters that no real URL contains.
func isPercentEscape(s string, i int) bool {
	if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
		return false
	}
	return !((s[i+1] == '0' || s[i+1] == '1') && isDigit(s[i+2]))
}

// envVarLen returns the length of a Windows environment reference "%NAME%" at s[i], or 0.
func envVarLen(s string, i int) int {
	j := i + 1
	if j >= len(s) || !(isLetter(s[j]) || s[j] == '_') {
		return 0
	}
	for j < len(s) && j-i <= maxPlaceholder && isIdentByte(s[j]) {
		j++
	}
	if j < len(s) && s[j] == '%' {
		return j + 1 - i
	}
	return 0
}

// printfConversions are the conversions that can stand for part of an endpoint: integers,
// strings, characters and pointers in C, plus %v and %q in Go. Floating-point conversions are
// left out because "%e", "%f", "%g" and "%a" only produce false hits in URLs.
const printfConversions = "diouxXsScCpqv"

// printfLengths are the length modifiers of C, POSIX and MSVC, longest first so that "ll"
// wins over "l" and "I64" over "I".
var printfLengths = []string{"I64", "I32", "hh", "ll", "h", "l", "L", "q", "j", "z", "t", "I", "w"}

// printfLen returns the length of a printf verb "%[flags][width][.precision][length]conv"
// at s[i], or 0. Space and apostrophe flags are not accepted: "100% of" is prose.
func printfLen(s string, i int) int {
	j := i + 1
	for j < len(s) && strings.IndexByte("-+#0", s[j]) >= 0 {
		j++
	}
	j = skipCount(s, j)
	if j < len(s) && s[j] == '.' {
		j = skipCount(s, j+1)
	}
	for _, m := range printfLengths {
		if strings.HasPrefix(s[j:], m) {
			j += len(m)
			break
		}
	}
	if j < len(s) && strings.IndexByte(printfConversions, s[j]) >= 0 {
		return j + 1 - i
	}
	return 0
}

// skipCount skips a printf width or precision: "*" or decimal digits.
func skipCount(s string, j int) int {
	if j < len(s) && s[j] == '*' {
		return j + 1
	}
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return j
}

// braceLen returns the length of a brace field "{…}" at s[i], or 0. The field may be empty
// or hold an index, a name, a format spec or a Go template pipeline ("{0:x}", "{.Host}").
func braceLen(s string, i int) int {
	for j := i + 1; j < len(s) && j-i <= maxPlaceholder; j++ {
		switch c := s[j]; {
		case c == '}':
			return j + 1 - i
		case isIdentByte(c) || c == '.' || c == ':' || c == '-':
		default:
			return 0
		}
	}
	return 0
}

// dollarLen returns the length of a shell or make variable ("$HOST", "${HOST}", "$(HOST)") at
// s[i], or 0.
func dollarLen(s string, i int) int {
	if i+1 >= len(s) {
		return 0
	}
	switch c := s[i+1]; {
	case c == '{':
		if n := braceLen(s, i+1); n > 0 {
			return n + 1
		}
	case c == '(':
		j := i + 2
		for j < len(s) && j-i <= maxPlaceholder && isIdentByte(s[j]) {
			j++
		}
		if j > i+2 && j < len(s) && s[j] == ')' {
			return j + 1 - i
		}
	case isLetter(c) || c == '_':
		j := i + 2
		for j < len(s) && j-i <= maxPlaceholder && isIdentByte(s[j]) {
			j++
		}
		return j - i
	}
	return 0
}
