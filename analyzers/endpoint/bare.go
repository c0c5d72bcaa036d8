package endpoint

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bare endpoints are those written without a scheme: IPv4 addresses, name:port pairs and
// domain names. They are found in tokens: maximal runs of characters that are neither
// delimiters nor ":". A token that holds anything but letters, digits, "-" and "." (after an
// optional leading "*.") is not an endpoint, which is what keeps templates ("%s.evil.net",
// "${HOST}.net"), identifiers ("ws2_32.dll") and other glued text out.

// tokenDelimiters separate endpoints from the text around them, besides white space,
// control characters and non-ASCII punctuation. Letters, digits, "_", "%", "$", "{", "}" and
// "." do not: an endpoint glued to them is part of something else.
const tokenDelimiters = "\"'<>()[],;=@/\\`|&"

// findBare returns the bare endpoints of s outside the claimed spans, which are sorted and
// disjoint. The token at skip (a Go import path's host) is not reported.
func findBare(s string, claimed []span, skip span) []Endpoint {
	var out []Endpoint
	from := 0
	for _, c := range claimed {
		out = scanGap(s, from, c.start, skip, out)
		from = c.end
	}
	return scanGap(s, from, len(s), skip, out)
}

// scanGap appends the bare endpoints found in s[from:to].
func scanGap(s string, from, to int, skip span, out []Endpoint) []Endpoint {
	for i := from; i < to; {
		in, w := inToken(s, i)
		if !in {
			i += w
			continue
		}
		end := tokenEnd(s, i, to)
		if e, ok := classifyToken(s, span{i, end}, to); ok && !(skip.end > skip.start && e.Start == skip.start) {
			out = append(out, e)
			end = max(end, e.End)
		}
		i = end
	}
	return out
}

// inToken reports whether the character at s[i] belongs to a token, and its width. Bytes
// that are not valid UTF-8 do: they glue text together like letters.
func inToken(s string, i int) (bool, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return c != ':' && !isDelimiterByte(c), 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return !isDelimiterRune(r), w
}

// tokenEnd returns where the token starting at i ends, no later than limit.
func tokenEnd(s string, i, limit int) int {
	for i < limit {
		in, w := inToken(s, i)
		if !in {
			break
		}
		i += w
	}
	return min(i, limit)
}

func isDelimiterByte(c byte) bool {
	return c <= ' ' || c == 0x7f || strings.IndexByte(tokenDelimiters, c) >= 0
}

// isDelimiterRune classifies a non-ASCII rune: spaces, punctuation (fullwidth commas, CJK
// quotes) and symbols delimit; letters, digits, marks and invalid bytes do not.
func isDelimiterRune(r rune) bool {
	if r == utf8.RuneError {
		return false
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// delimitedBefore reports whether the token at a is cut off from what precedes it: start of
// string, a delimiter, or a single ":" ("server:evil.net"), but not "::" (C++ scopes).
func delimitedBefore(s string, a int) bool {
	if a == 0 {
		return true
	}
	if c := s[a-1]; c < utf8.RuneSelf {
		if c == ':' {
			return a < 2 || s[a-2] != ':'
		}
		return isDelimiterByte(c)
	}
	r, _ := utf8.DecodeLastRuneInString(s[:a])
	return isDelimiterRune(r)
}

// endsToken reports whether an endpoint may end at i: at the end of s, at a delimiter, or at
// a ".", "!", "?" or ":" that itself ends the sentence ("connect to evil.net." or "evil.net:
// no route"). A "." followed by more text means a longer dotted run, so no.
func endsToken(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	if strings.IndexByte(".!?:", s[i]) >= 0 {
		return i+1 >= len(s) || delimiterAt(s, i+1)
	}
	return delimiterAt(s, i)
}

// delimiterAt reports whether the character at s[i] is a delimiter.
func delimiterAt(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return isDelimiterByte(c)
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isDelimiterRune(r)
}

// classifyToken decides what the token t is, looking at its neighbours in s; limit is where
// the gap it sits in ends. The endpoint may reach past t.end to take in a port or prefix.
func classifyToken(s string, t span, limit int) (Endpoint, bool) {
	if !delimitedBefore(s, t.start) || underUNC(s, t.start) {
		return Endpoint{}, false
	}
	host := s[t.start:t.end]
	if n := len(host); n > 1 && strings.IndexByte(".!?", host[n-1]) >= 0 && endsToken(s, t.end-1) {
		host = host[:n-1] // sentence punctuation, or the root dot of "evil.net."
		t.end--
	}
	if !hostChars(host) {
		return Endpoint{}, false
	}
	if isDigitsAndDots(host) {
		return classifyIPv4(s, t, limit)
	}
	return classifyName(s, t, limit)
}

// hostChars reports whether h is letters, digits, "-" and "." after an optional "*.".
func hostChars(h string) bool {
	h = strings.TrimPrefix(h, "*.")
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !isLetter(c) && !isDigit(c) && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// isDigitsAndDots reports a token that can only be an IPv4 address or nothing.
func isDigitsAndDots(h string) bool {
	return strings.Trim(h, "0123456789.") == "" && strings.ContainsAny(h, "0123456789")
}

// underUNC reports a token that is the server of a UNC path (\\server\share or
// \\?\UNC\server\share). File shares are left to rules about file access.
func underUNC(s string, a int) bool {
	head := s[:a]
	return strings.HasSuffix(head, `\\`) || (len(head) >= 4 && strings.EqualFold(head[len(head)-4:], `UNC\`))
}

// portAfter reads a ":port" at s[i] (the ":") that ends where an endpoint may end. The port
// is "" when it is a placeholder ("evil.net:%d").
func portAfter(s string, i, limit int) (end int, port string, ok bool) {
	if i >= limit || s[i] != ':' {
		return 0, "", false
	}
	j := i + 1
	for j < limit && isDigit(s[j]) && j-i <= 6 {
		j++
	}
	if validPort(s[i+1:j]) && endsToken(s, j) {
		return j, s[i+1 : j], true
	}
	if i+1 < limit {
		if n := placeholderLen(s, i+1); n > 0 && i+1+n <= limit && endsToken(s, i+1+n) {
			return i + 1 + n, "", true
		}
	}
	return 0, "", false
}

// classifyIPv4 reports the token t as an IPv4 address, with a ":port" or "/prefix" that
// follows it.
func classifyIPv4(s string, t span, limit int) (Endpoint, bool) {
	host := s[t.start:t.end]
	addr, err := netip.ParseAddr(host) // refuses leading zeros: "01.02.03.04" is a date or version
	if err != nil || !addr.Is4() || notAnAddress(s, t.start, addr) {
		return Endpoint{}, false
	}
	e := Endpoint{Kind: IPv4, Host: host, Scope: scopeOf(addr), Start: t.start, End: t.end}
	if end, port, ok := portAfter(s, t.end, limit); ok {
		e.End, e.Port = end, port
	} else if end, ok := prefixAfter(s, t.end, limit); ok {
		e.End = end
	} else if !endsToken(s, t.end) {
		return Endpoint{}, false
	}
	e.Text = s[e.Start:e.End]
	e.Templated = hasPlaceholder(e.Text)
	return e, true
}

// prefixAfter reads a CIDR "/bits" (0-32, no leading zero) at s[i].
func prefixAfter(s string, i, limit int) (int, bool) {
	if i >= limit || s[i] != '/' {
		return 0, false
	}
	j := i + 1
	for j < limit && isDigit(s[j]) && j-i <= 3 {
		j++
	}
	bits := s[i+1 : j]
	n, err := strconv.Atoi(bits)
	if err != nil || n > 32 || (len(bits) > 1 && bits[0] == '0') || !endsToken(s, j) {
		return 0, false
	}
	return j, true
}

// oidArcs are object-identifier prefixes that have exactly four arcs often enough to look
// like addresses: X.500 attribute types (2.5.4.3 is commonName), certificate extensions
// (2.5.29.17 is subjectAltName), OIW algorithms (1.3.14.3.x) and the internet arc 1.3.6.1.
// Certificate and ASN.1 code is full of them, and none is a plausible hard-coded host.
var oidArcs = []string{"2.5.4.", "2.5.29.", "1.3.14.", "1.3.6.1."}

// versionWords are words that, just before a dotted quad, make it a version, build or OID.
var versionWords = setOf("v", "ver", "build", "rev", "revision", "release", "oid")

// notAnAddress reports a dotted quad at a that is a version, a User-Agent product version or
// an OID rather than an address. 0.x.y.z other than 0.0.0.0 is "this network" and never a
// destination, while versions like 0.9.1.2 are common.
func notAnAddress(s string, a int, addr netip.Addr) bool {
	if addr.As4()[0] == 0 && !addr.IsUnspecified() {
		return true
	}
	text := addr.String() + "."
	for _, p := range oidArcs {
		if strings.HasPrefix(text, p) {
			return true
		}
	}
	if a >= 2 && s[a-1] == '/' && (isLetter(s[a-2]) || isDigit(s[a-2])) {
		return true // "Chrome/120.0.0.0": product/version, as in User-Agent strings
	}
	return followsVersionWord(s, a)
}

// followsVersionWord reports a dotted quad preceded by "version", "FileVersion", "build",
// "v" and the like, with at most a few spaces, "=" or ":" between.
func followsVersionWord(s string, a int) bool {
	j := a
	for j > 0 && a-j < 4 && strings.IndexByte(" \t=:", s[j-1]) >= 0 {
		j--
	}
	w := j
	for w > 0 && j-w < maxScheme && isLetter(s[w-1]) {
		w--
	}
	word := strings.ToLower(s[w:j])
	return strings.HasSuffix(word, "version") || versionWords[word]
}

// classifyName reports the token t as a domain, a name:port or "localhost:port".
func classifyName(s string, t span, limit int) (Endpoint, bool) {
	host := s[t.start:t.end]
	if isEmailDomain(s, t.start) {
		return Endpoint{}, false
	}
	end, port, hasPort := portAfter(s, t.end, limit)
	if !hasPort && !endsToken(s, t.end) {
		return Endpoint{}, false
	}
	if !isDomain(host) && !(hasPort && strings.EqualFold(host, "localhost")) {
		return Endpoint{}, false
	}
	e := Endpoint{Kind: Domain, Host: host, Start: t.start, End: t.end}
	if hasPort {
		e.Kind, e.Port, e.End = HostPort, port, end
	}
	e.Text = s[e.Start:e.End]
	e.Templated = hasPlaceholder(e.Text)
	return e, true
}

// isEmailDomain reports a name right after the "@" of an e-mail address ("ops@evil.net").
// The address is contact data, not a host the code connects to, and reporting the domain of
// every support address would drown the real endpoints; "@evil.net" on its own still counts.
func isEmailDomain(s string, a int) bool {
	return a >= 2 && s[a-1] == '@' && !delimitedBefore(s, a-1)
}
