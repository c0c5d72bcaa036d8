package endpoint

import (
	"net/netip"
	"strconv"
	"strings"
)

// maxIPv6Text is longer than any address with zone, brackets and port; longer strings are
// not looked at.
const maxIPv6Text = 96

// wholeIPv6 reports the IPv6 address that the whole trimmed s consists of, in one of the
// forms "addr", "addr%zone", "[addr]", "[addr]:port" or "addr/prefix". IPv6 is never looked
// for inside longer text: colons and hex digits are everywhere in code ("std::cout",
// "a::b", hex dumps, times), and an address on its own is how configurations hold one.
func wholeIPv6(s string) (Endpoint, bool) {
	sp := trimmedSpan(s)
	t := s[sp.start:sp.end]
	if len(t) > maxIPv6Text || strings.Count(t, ":") < 2 {
		return Endpoint{}, false
	}
	host, port, ok := splitIPv6(t)
	if !ok {
		return Endpoint{}, false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !addr.Is6() || !plausibleIPv6(host) {
		return Endpoint{}, false
	}
	return Endpoint{
		Kind: IPv6, Text: t, Host: host, Port: port, Scope: scopeOf(addr),
		Templated: hasPlaceholder(t), Start: sp.start, End: sp.end,
	}, true
}

// splitIPv6 takes the brackets, port or prefix length off t and returns the address with
// its zone.
func splitIPv6(t string) (host, port string, ok bool) {
	if t[0] == '[' {
		end := strings.IndexByte(t, ']')
		if end < 0 {
			return "", "", false
		}
		host, rest := t[1:end], t[end+1:]
		if rest == "" {
			return host, "", true
		}
		if rest[0] != ':' || !validPort(rest[1:]) {
			return "", "", false
		}
		return host, rest[1:], true
	}
	if slash := strings.IndexByte(t, '/'); slash >= 0 {
		host = t[:slash]
		bits, err := strconv.Atoi(t[slash+1:])
		if err != nil || bits < 0 || bits > 128 || !isDigits(t[slash+1:]) || strings.Contains(host, "%") {
			return "", "", false
		}
		return host, "", true
	}
	return t, "", true
}

// plausibleIPv6 rejects strings that parse as IPv6 but are nearly always something else:
// "::" and letter-only forms such as "a::b" or "dead::beef" (C++ scopes, words), and eight
// two-digit groups without "::" ("de:ad:be:ef:00:11:22:33"), which is a byte dump.
func plausibleIPv6(host string) bool {
	addr, _, _ := strings.Cut(host, "%")
	if strings.Count(addr, ":") < 2 || !strings.ContainsAny(addr, "0123456789") {
		return false
	}
	if strings.Contains(addr, "::") {
		return true
	}
	for _, g := range strings.Split(addr, ":") {
		if len(g) != 2 {
			return true
		}
	}
	return false
}

// validPort reports whether p is a decimal port 1-65535 without leading zeros.
func validPort(p string) bool {
	if len(p) == 0 || len(p) > 5 || p[0] == '0' || !isDigits(p) {
		return false
	}
	n, _ := strconv.Atoi(p)
	return n <= 65535
}
