package endpoint

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// networkSchemes are the URL schemes whose authority is a host reached over the network.
// Everything else (file, res, ms-settings, app-specific and defanged schemes such as hxxp)
// is not an endpoint.
var networkSchemes = setOf(
	"http", "https", "ftp", "ftps", "sftp", "tftp", "ws", "wss",
	"tcp", "udp", "tls", "ssl", "quic", "dns", "doh", "dot",
	"smtp", "smtps", "pop", "pop3", "pop3s", "imap", "imaps", "nntp", "nntps",
	"ldap", "ldaps", "ssh", "telnet", "rdp", "vnc", "smb", "cifs", "nfs", "afp",
	"webdav", "dav", "davs", "rsync", "git", "git+ssh", "ssh+git", "svn", "svn+ssh",
	"rtsp", "rtsps", "rtmp", "rtmps", "sip", "sips", "stun", "stuns", "turn", "turns",
	"mqtt", "mqtts", "amqp", "amqps", "nats", "coap", "coaps", "grpc", "grpcs", "kafka",
	"irc", "ircs", "xmpp", "gopher",
	"redis", "rediss", "mongodb", "mongodb+srv", "postgres", "postgresql", "mysql",
	"mssql", "sqlserver", "mariadb", "memcached",
	"socks", "socks4", "socks4a", "socks5", "socks5h", "proxy",
)

// maxScheme bounds the backward walk from "://"; no real scheme is longer.
const maxScheme = 32

// findURLs returns the network URLs in s and the spans claimed by every "scheme://" URL,
// network or not, so that nothing inside them is reported again as a bare endpoint.
func findURLs(s string) (urls []Endpoint, claimed []span) {
	for i := 0; i < len(s); {
		k := strings.Index(s[i:], "://")
		if k < 0 {
			break
		}
		k += i
		start := schemeStart(s, i, k)
		if start == k {
			i = k + 3
			continue
		}
		end := urlEnd(s, k+3)
		claimed = append(claimed, span{start, end})
		if e, ok := parseURL(s, start, k, end); ok {
			urls = append(urls, e)
		}
		i = end
	}
	return urls, claimed
}

// schemeStart walks back from the "://" at k, no further than floor, over scheme characters,
// and returns where the scheme begins (k if there is none). A scheme begins with a letter.
func schemeStart(s string, floor, k int) int {
	j := k
	for j > floor && k-j < maxScheme && isSchemeByte(s[j-1]) {
		j--
	}
	for j < k && !isLetter(s[j]) {
		j++
	}
	return j
}

// isSchemeByte leaves out "." on purpose: "obj.http://" should not make "obj.http" a scheme.
func isSchemeByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '+' || c == '-' }

// urlEnd returns where the URL whose authority starts at from ends: at white space, a
// quote, "<", ">", "|", a control character or non-ASCII punctuation, less any trailing
// punctuation that closes the sentence around the URL.
func urlEnd(s string, from int) int {
	j := from
	for j < len(s) {
		stop, w := stopsURL(s, j)
		if stop {
			break
		}
		j += w
	}
	return trimURLTail(s, from, j)
}

// stopsURL reports whether the character at s[j] ends a URL, and its width.
func stopsURL(s string, j int) (bool, int) {
	c := s[j]
	if c < utf8.RuneSelf {
		return c <= ' ' || c == 0x7f || strings.IndexByte("\"'<>`|", c) >= 0, 1
	}
	r, w := utf8.DecodeRuneInString(s[j:])
	return r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsPunct(r), w
}

// trimURLTail drops sentence punctuation from the end of s[from:end]: ".,;:!?" always, and
// a closing ")", "]" or "}" that has no partner inside the URL ("(see http://x.net/a)").
func trimURLTail(s string, from, end int) int {
	const openers, closers = "([{", ")]}"
	var depth [3]int // openers minus closers, per kind
	for i := from; i < end; i++ {
		if o := strings.IndexByte(openers, s[i]); o >= 0 {
			depth[o]++
		} else if c := strings.IndexByte(closers, s[i]); c >= 0 {
			depth[c]--
		}
	}
	for end > from {
		c := s[end-1]
		if k := strings.IndexByte(closers, c); k >= 0 {
			if depth[k] >= 0 {
				return end
			}
			depth[k]++
		} else if strings.IndexByte(".,;:!?", c) < 0 {
			return end
		}
		end--
	}
	return end
}

// parseURL builds the endpoint for the URL s[start:end] whose "://" is at k, if its scheme
// is a network scheme and its authority names a host. A name needs no TLD check here: the
// scheme is evidence enough. Documentation names (example.com, *.test) are still refused.
func parseURL(s string, start, k, end int) (Endpoint, bool) {
	scheme := strings.ToLower(s[start:k])
	if !networkSchemes[scheme] {
		return Endpoint{}, false
	}
	rest := s[k+3 : end]
	if cut := strings.IndexAny(rest, "/?#\\"); cut >= 0 {
		rest = rest[:cut] // a backslash opens the path, as browsers read it
	}
	hp, ok := parseAuthority(rest)
	if !ok {
		return Endpoint{}, false
	}
	text := s[start:end]
	if hp.host == "" && hp.port == "" && !hasWord(stripPlaceholders(s[k+3+len(rest):end])) {
		// "http://%s", "https://%s:%d/%s": a scheme and placeholders say nothing of where
		// the program connects; "http://%s/gate.php" still does.
		return Endpoint{}, false
	}
	return Endpoint{
		Kind: URL, Text: text, Host: hp.host, Port: hp.port, Scheme: scheme, Scope: hp.scope,
		Templated: hasPlaceholder(text), Start: start, End: end,
	}, true
}

// stripPlaceholders removes the placeholders of s.
func stripPlaceholders(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if n := placeholderLen(s, i); n > 0 {
			i += n - 1
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hasWord reports whether s holds two letters in a row: a path or file name, not just
// separators.
func hasWord(s string) bool {
	run := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if run++; run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// hostPort is a parsed URL authority. host and port are "" when absent or templated.
type hostPort struct {
	host, port, scope string
}

// parseAuthority parses "[userinfo@]host[:port]" where host may be a name, an IPv4 address,
// a bracketed IPv6 address or a placeholder.
func parseAuthority(auth string) (hostPort, bool) {
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	if auth == "" {
		return hostPort{}, false
	}
	host, port := auth, ""
	if auth[0] == '[' {
		end := strings.IndexByte(auth, ']')
		if end < 0 {
			return hostPort{}, false
		}
		host, port = auth[1:end], auth[end+1:]
		if port != "" && port[0] != ':' {
			return hostPort{}, false
		}
		port = strings.TrimPrefix(port, ":")
	} else if c := strings.LastIndexByte(auth, ':'); c >= 0 {
		host, port = auth[:c], auth[c+1:]
	}
	hp := hostPort{}
	switch {
	case port == "" || hasPlaceholder(port):
	case validPort(port):
		hp.port = port
	default:
		return hostPort{}, false
	}
	return withHost(hp, host, auth[0] == '[')
}

// withHost validates the host part of an authority and fills it in.
func withHost(hp hostPort, host string, bracketed bool) (hostPort, bool) {
	if host == "" {
		return hostPort{}, false
	}
	if hasPlaceholder(host) {
		return hp, true
	}
	if addr, err := netip.ParseAddr(host); err == nil && (addr.Is6() == bracketed) {
		hp.host, hp.scope = host, scopeOf(addr)
		return hp, true
	}
	if bracketed || !validURLName(host) || isReserved(strings.ToLower(host)) {
		return hostPort{}, false
	}
	hp.host = host
	return hp, true
}

// validURLName reports whether host is made of name characters: ASCII letters, digits,
// "-", "." and "_" (which real intranet hosts use), or non-ASCII letters and digits of an
// internationalised name, with at least one letter or digit.
func validURLName(host string) bool {
	seen := false
	for _, r := range host {
		switch {
		case r < utf8.RuneSelf && (isLetter(byte(r)) || isDigit(byte(r))):
			seen = true
		case r == '-' || r == '.' || r == '_':
		case r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)):
			seen = true
		default:
			return false
		}
	}
	return seen
}
