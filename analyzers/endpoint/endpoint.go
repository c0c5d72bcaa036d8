// Package endpoint finds the network endpoints (URLs, IPv4 and IPv6 addresses, host:port
// pairs and domain names) written in the value of one string literal. It is a leaf used by
// the rule matchers that inventory where scanned code talks to the network: a matcher hands
// it a literal's unescaped value and turns each Endpoint into a finding. It knows nothing
// about files, languages or rules, and imports nothing of ours.
//
// Precision is weighed as heavily as recall. The literals come from large C, C++ and Go code
// bases full of file names, version strings, ProgIDs, member accesses, OIDs, import paths and
// format strings, so a dotted word is only called a domain after the checks described on
// Find; a URL, whose scheme is evidence enough, is trusted far more readily.
package endpoint

import (
	"slices"
	"strings"
	"unicode"
)

// Kind says what sort of endpoint was found.
type Kind string

// The kinds of endpoint Find reports. An address followed by a port keeps its address kind
// (IPv4 or IPv6) and sets Port; HostPort is only used for names.
const (
	URL      Kind = "url"
	IPv4     Kind = "ipv4"
	IPv6     Kind = "ipv6"
	HostPort Kind = "host-port"
	Domain   Kind = "domain"
)

// Endpoint is one network endpoint found in a string.
type Endpoint struct {
	Kind      Kind
	Text      string // the endpoint exactly as it appears in the input
	Host      string // host name or address without brackets, port or prefix; "" when templated (e.g. "http://%s/")
	Port      string // "" when absent or templated
	Scheme    string // URLs only, lower-case
	Scope     string // for IP hosts: "public", "private", "loopback", "link-local", "multicast" or "unspecified"; "" for names
	Templated bool   // Text holds a placeholder (%s, %d, %ls, %08x, {0}, {host}, ${X}, %VAR%): it is a template for an endpoint
	Start     int    // byte offset of Text in the input
	End       int    // byte offset just past Text
}

// String gives a short human form such as "url https://x.example.net:8443/a".
func (e Endpoint) String() string { return string(e.Kind) + " " + e.Text }

// span is a half-open byte range of the input.
type span struct{ start, end int }

// Find returns every endpoint in s, in order of Start, never overlapping: a URL's host is not
// reported again as a domain. s is the unescaped value of a string literal; any bytes are
// accepted, and the work is linear in len(s).
//
// What counts, in the order the checks run:
//   - IPv6 only when the whole trimmed string is one address ("fe80::1%eth0", "[::1]:8080",
//     "2001:db8::/32"), never a piece of longer text, where "std::cout" and hex dumps live.
//   - URLs "scheme://authority…" for network schemes only; file://, res:// and unknown or
//     defanged schemes (hxxp://) swallow their text so nothing inside them is reported.
//   - Elsewhere, tokens delimited by whitespace or one of "'<>()[],;=@/\`|& are tried as an
//     IPv4 address (optionally with :port or /prefix), a name:port, or a domain name. The
//     rules that keep file names, versions, OIDs, ProgIDs, member accesses, e-mail
//     addresses, UNC hosts, Go import paths and documentation names out are on the
//     functions that apply them.
func Find(s string) []Endpoint {
	if e, ok := wholeIPv6(s); ok {
		return []Endpoint{e}
	}
	urls, claimed := findURLs(s)
	found := append(urls, findBare(s, claimed, importPathHost(s))...)
	slices.SortFunc(found, func(a, b Endpoint) int { return a.Start - b.Start })
	return found
}

// trimmedSpan returns the span of s without leading and trailing white space.
func trimmedSpan(s string) span {
	start := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
	end := len(strings.TrimRightFunc(s, unicode.IsSpace))
	if end < start {
		end = start
	}
	return span{start, end}
}

// setOf builds a lookup set.
func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
