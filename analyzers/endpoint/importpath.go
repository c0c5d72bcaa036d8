package endpoint

import "strings"

// importPathHost returns the span of the host that opens s when the whole trimmed s is shaped
// like a Go import or module path: a dotted name followed by one or more "/"-separated
// segments of identifier characters, and no port ("github.com/foo/bar", "golang.org/x/net",
// "gopkg.in/yaml.v3"). Such a host is technically an endpoint, but in Go code the string is
// an import path that the program never dials, so it is not reported; with a scheme it is a
// URL and is. This is a precision choice: a scheme-less "evil.net/gate" is skipped too, while
// "evil.net/gate.php" is not, since import path segments carry no file extensions. The zero
// span means s is not an import path.
func importPathHost(s string) span {
	sp := trimmedSpan(s)
	t := s[sp.start:sp.end]
	slash := strings.IndexByte(t, '/')
	host := t[:max(slash, 0)]
	if !strings.Contains(host, ".") || !hostChars(host) || !strings.ContainsFunc(host, isLetterRune) {
		return span{}
	}
	for _, seg := range strings.Split(t[slash+1:], "/") {
		if !importSegment(seg) {
			return span{}
		}
	}
	return span{sp.start, sp.start + slash}
}

// importSegment reports whether seg is an import path element: identifier characters, "-",
// "~" or "+", with at most a gopkg.in-style major version suffix (".v3").
func importSegment(seg string) bool {
	if dot := strings.LastIndexByte(seg, '.'); dot >= 0 {
		if len(seg) < dot+3 || seg[dot+1] != 'v' || !isDigits(seg[dot+2:]) {
			return false
		}
		seg = seg[:dot]
	}
	if seg == "" {
		return false
	}
	for i := 0; i < len(seg); i++ {
		if c := seg[i]; !isIdentByte(c) && c != '-' && c != '~' && c != '+' {
			return false
		}
	}
	return true
}
