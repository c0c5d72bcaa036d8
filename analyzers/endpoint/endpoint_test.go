package endpoint

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// findCase is one input and every endpoint Find must return for it. End is not written in
// the table: it is always Start+len(Text), and the test checks that.
type findCase struct {
	why  string
	in   string
	want []Endpoint
}

func url(text, scheme, host, port, scope string, start int) Endpoint {
	return Endpoint{Kind: URL, Text: text, Scheme: scheme, Host: host, Port: port, Scope: scope, Start: start}
}

func ip4(text, host, port, scope string, start int) Endpoint {
	return Endpoint{Kind: IPv4, Text: text, Host: host, Port: port, Scope: scope, Start: start}
}

func ip6(text, host, port, scope string, start int) Endpoint {
	return Endpoint{Kind: IPv6, Text: text, Host: host, Port: port, Scope: scope, Start: start}
}

func hp(text, host, port string, start int) Endpoint {
	return Endpoint{Kind: HostPort, Text: text, Host: host, Port: port, Start: start}
}

func domain(text string, start int) Endpoint {
	return Endpoint{Kind: Domain, Text: text, Host: text, Start: start}
}

func templated(e Endpoint) Endpoint {
	e.Templated = true
	return e
}

var urlCases = []findCase{
	{"plain URL", "https://x.evil.net/a", []Endpoint{url("https://x.evil.net/a", "https", "x.evil.net", "", "", 0)}},
	{"URL inside prose", "connecting to https://x.evil.net/a now", []Endpoint{url("https://x.evil.net/a", "https", "x.evil.net", "", "", 14)}},
	{"sentence full stop is not part of the URL", "see https://x.evil.net/a.", []Endpoint{url("https://x.evil.net/a", "https", "x.evil.net", "", "", 4)}},
	{"balanced parentheses stay, the closing one goes", "(see http://x.evil.net/a_(b)).", []Endpoint{url("http://x.evil.net/a_(b)", "http", "x.evil.net", "", "", 5)}},
	{"userinfo, port, query, fragment; scheme lower-cased", "HTTP://User:Pw@Evil.NET:8443/a?b=c#d", []Endpoint{url("HTTP://User:Pw@Evil.NET:8443/a?b=c#d", "http", "Evil.NET", "8443", "", 0)}},
	{"printf host and port", "http://%s:%d/upload", []Endpoint{templated(url("http://%s:%d/upload", "http", "", "", "", 0))}},
	{"brace host", "https://{host}/api", []Endpoint{templated(url("https://{host}/api", "https", "", "", "", 0))}},
	{"shell variable host, literal port", "http://${HOST}:8080/", []Endpoint{templated(url("http://${HOST}:8080/", "http", "", "8080", "", 0))}},
	{"a template of placeholders only names nothing", "http://%s", nil},
	{"placeholders for host, port and path name nothing", "https://%s:%d/%s?%s", nil},
	{"wide printf host", "https://%ls/gate.php?id=%08X", []Endpoint{templated(url("https://%ls/gate.php?id=%08X", "https", "", "", "", 0))}},
	{"IPv4 host has a scope", "http://10.1.2.3:8080/x", []Endpoint{url("http://10.1.2.3:8080/x", "http", "10.1.2.3", "8080", "private", 0)}},
	{"bracketed IPv6 host", "http://[fe80::1]:80/", []Endpoint{url("http://[fe80::1]:80/", "http", "fe80::1", "80", "link-local", 0)}},
	{"websocket on loopback", "ws://127.0.0.1:9222/devtools", []Endpoint{url("ws://127.0.0.1:9222/devtools", "ws", "127.0.0.1", "9222", "loopback", 0)}},
	{"percent-escapes are not verbs", "https://evil.net/q?x=%E2%9C%93&y=%20s&z=%2F", []Endpoint{url("https://evil.net/q?x=%E2%9C%93&y=%20s&z=%2F", "https", "evil.net", "", "", 0)}},
	{"zero-padded verb in the query is a template", "https://evil.net/id=%08x", []Endpoint{templated(url("https://evil.net/id=%08x", "https", "evil.net", "", "", 0))}},
	{"compound scheme", "mongodb+srv://db.evil.net/x", []Endpoint{url("mongodb+srv://db.evil.net/x", "mongodb+srv", "db.evil.net", "", "", 0)}},
	{"quote ends the URL", `url="http://evil.net/a" next`, []Endpoint{url("http://evil.net/a", "http", "evil.net", "", "", 5)}},
	{"two URLs", "http://a.evil.net/ http://b.evil.net/", []Endpoint{url("http://a.evil.net/", "http", "a.evil.net", "", "", 0), url("http://b.evil.net/", "http", "b.evil.net", "", "", 19)}},
	{"a URL in a URL's query is part of it", "http://a.evil.net/?u=http://b.evil.net/", []Endpoint{url("http://a.evil.net/?u=http://b.evil.net/", "http", "a.evil.net", "", "", 0)}},
	{"localhost needs no TLD in a URL", "http://localhost:8080/", []Endpoint{url("http://localhost:8080/", "http", "localhost", "8080", "", 0)}},
	{"single-label intranet host", "ftp://fileserver/pub", []Endpoint{url("ftp://fileserver/pub", "ftp", "fileserver", "", "", 0)}},
	{"internationalised host", "http://пример.рф/", []Endpoint{url("http://пример.рф/", "http", "пример.рф", "", "", 0)}},
	{"JDBC wrapper: the network scheme is the inner one", "jdbc:mysql://db.evil.net:3306/x", []Endpoint{url("mysql://db.evil.net:3306/x", "mysql", "db.evil.net", "3306", "", 5)}},
	{"backslash opens the path", `http://evil.net\update.exe`, []Endpoint{url(`http://evil.net\update.exe`, "http", "evil.net", "", "", 0)}},
	{"git over ssh with a user", "git+ssh://git@evil.net/repo.git", []Endpoint{url("git+ssh://git@evil.net/repo.git", "git+ssh", "evil.net", "", "", 0)}},
	{"URL followed by a bare endpoint", "Failed: https://a.evil.net:8443/x, retrying via 203.0.113.9:80", []Endpoint{
		url("https://a.evil.net:8443/x", "https", "a.evil.net", "8443", "", 8),
		ip4("203.0.113.9:80", "203.0.113.9", "80", "public", 48),
	}},
	{"file URLs are not endpoints, nor is their host", "file://server.corp.net/share", nil},
	{"resource URLs are not endpoints", "res://ieframe.dll/navcancl.htm", nil},
	{"defanged scheme is deliberately not a URL", "hxxp://evil.net/x", nil},
	{"javascript: has no authority", "javascript:alert(1)", nil},
	{"about: is not a network scheme", "about:blank", nil},
	{"empty authority", "http://", nil},
	{"empty host before path", "http:///path", nil},
	{"empty host before port", "http://:80/", nil},
	{"port out of range", "http://10.0.0.1:99999/", nil},
	{"documentation name in a URL", "http://www.example.com/x", nil},
	{"reserved .test TLD in a URL", "https://api.test/v1", nil},
	{"unbracketed IPv6 is not a valid authority", "http://fe80::1/", nil},
	{"format string scheme is no scheme", "%s://%s:%d/", nil},
}

var ipv4Cases = []findCase{
	{"private address", "10.0.0.1", []Endpoint{ip4("10.0.0.1", "10.0.0.1", "", "private", 0)}},
	{"address with port keeps kind IPv4", "198.51.100.7:443", []Endpoint{ip4("198.51.100.7:443", "198.51.100.7", "443", "public", 0)}},
	{"CIDR suffix is kept in Text", "10.0.0.0/8", []Endpoint{ip4("10.0.0.0/8", "10.0.0.0", "", "private", 0)}},
	{"comma-separated list", "dns=8.8.8.8,1.1.1.1", []Endpoint{ip4("8.8.8.8", "8.8.8.8", "", "public", 4), ip4("1.1.1.1", "1.1.1.1", "", "public", 12)}},
	{"templated port", "127.0.0.1:%u", []Endpoint{templated(ip4("127.0.0.1:%u", "127.0.0.1", "", "loopback", 0))}},
	{"CGNAT is private", "100.64.1.1", []Endpoint{ip4("100.64.1.1", "100.64.1.1", "", "private", 0)}},
	{"link-local metadata service", "169.254.169.254", []Endpoint{ip4("169.254.169.254", "169.254.169.254", "", "link-local", 0)}},
	{"multicast", "224.0.0.251", []Endpoint{ip4("224.0.0.251", "224.0.0.251", "", "multicast", 0)}},
	{"unspecified", "bind 0.0.0.0:80", []Endpoint{ip4("0.0.0.0:80", "0.0.0.0", "80", "unspecified", 5)}},
	{"user@address is an ssh target, not an e-mail", "root@10.0.0.5", []Endpoint{ip4("10.0.0.5", "10.0.0.5", "", "private", 5)}},
	{"sentence full stop", "reach 10.0.0.1.", []Endpoint{ip4("10.0.0.1", "10.0.0.1", "", "private", 6)}},
	{"key:value", "tcp:192.168.1.1", []Endpoint{ip4("192.168.1.1", "192.168.1.1", "", "private", 4)}},
	{"longer dotted run", "1.2.3.4.5", nil},
	{"Windows build number", "10.0.19041.1", nil},
	{"v-prefixed version", "v1.2.3.4", nil},
	{"leading zeros: a date or version", "01.02.03.04", nil},
	{"version keyword before", "FileVersion 1.0.0.1", nil},
	{"version= before", "Version=4.0.0.0", nil},
	{"User-Agent product version", "Chrome/120.0.0.0 Safari/537.36", nil},
	{"X.500 OID (commonName)", "2.5.4.3", nil},
	{"certificate extension OID", "2.5.29.17", nil},
	{"0.x.y.z is a version, not a destination", "0.9.1.2", nil},
	{"glued to letters", "1.2.3.4x", nil},
	{"printf template of an address", "%d.%d.%d.%d", nil},
	{"UNC server", `\\10.0.0.5\share`, nil},
	{"three parts", "1.2.3", nil},
	{"octet out of range", "256.1.1.1", nil},
	{"port out of range", "10.0.0.1:70000", nil},
}

var ipv6Cases = []findCase{
	{"loopback", "::1", []Endpoint{ip6("::1", "::1", "", "loopback", 0)}},
	{"zone is kept in Host", "fe80::1%eth0", []Endpoint{ip6("fe80::1%eth0", "fe80::1%eth0", "", "link-local", 0)}},
	{"bracketed with port", "[::1]:8080", []Endpoint{ip6("[::1]:8080", "::1", "8080", "loopback", 0)}},
	{"prefix", "2001:db8::/32", []Endpoint{ip6("2001:db8::/32", "2001:db8::", "", "public", 0)}},
	{"surrounding space is trimmed", " 2001:4860:4860::8888 ", []Endpoint{ip6("2001:4860:4860::8888", "2001:4860:4860::8888", "", "public", 1)}},
	{"multicast", "ff02::1", []Endpoint{ip6("ff02::1", "ff02::1", "", "multicast", 0)}},
	{"IPv4-mapped takes the IPv4 scope", "::ffff:10.0.0.1", []Endpoint{ip6("::ffff:10.0.0.1", "::ffff:10.0.0.1", "", "private", 0)}},
	{"unique local is private", "fd00::1", []Endpoint{ip6("fd00::1", "fd00::1", "", "private", 0)}},
	{"full form", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", []Endpoint{ip6("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "", "public", 0)}},
	{"the unspecified address alone is too ambiguous", "::", nil},
	{"letters only: a C++ scope", "a::b", nil},
	{"C++ scope", "std::cout", nil},
	{"byte dump", "de:ad:be:ef:00:11:22:33", nil},
	{"never a substring of other text", "listening on ::1", nil},
	{"bracketed with bad port", "[::1]:99999", nil},
	{"time of day", "12:30:45", nil},
	{"MAC address", "00:1a:2b:3c:4d:5e", nil},
}

var hostPortCases = []findCase{
	{"name and port", "evil.net:443", []Endpoint{hp("evil.net:443", "evil.net", "443", 0)}},
	{"localhost needs a port", "localhost:8080", []Endpoint{hp("localhost:8080", "localhost", "8080", 0)}},
	{"templated port", "relay.evil.net:%d", []Endpoint{templated(hp("relay.evil.net:%d", "relay.evil.net", "", 0))}},
	{"brace port", "relay.evil.net:{port}", []Endpoint{templated(hp("relay.evil.net:{port}", "relay.evil.net", "", 0))}},
	{"in parentheses", "connect(c2.evil.org:8443)", []Endpoint{hp("c2.evil.org:8443", "c2.evil.org", "8443", 8)}},
	{"after a key:", "server:mail.evil.net:25", []Endpoint{hp("mail.evil.net:25", "mail.evil.net", "25", 7)}},
	{"path after port", "evil.net:8080/gate", []Endpoint{hp("evil.net:8080", "evil.net", "8080", 0)}},
	{"localhost alone", "localhost", nil},
	{"port out of range", "evil.net:99999", nil},
	{"port zero", "evil.net:0", nil},
	{"leading zero port", "evil.net:0443", nil},
	{"C++-style scope after a name", "evil.net::foo", nil},
	{"not a port", "evil.net:abc", nil},
	{"e-mail with port", "ops@evil.net:25", nil},
	{"documentation name", "www.example.com:443", nil},
}

var domainCases = []findCase{
	{"subdomain", "a.evil.net", []Endpoint{domain("a.evil.net", 0)}},
	{"several endpoints in one string", "primary=a.evil.net backup=198.51.100.7:443", []Endpoint{domain("a.evil.net", 8), ip4("198.51.100.7:443", "198.51.100.7", "443", "public", 26)}},
	{"wildcard", "*.evil.net", []Endpoint{domain("*.evil.net", 0)}},
	{"second-level suffix", "bbc.co.uk", []Endpoint{domain("bbc.co.uk", 0)}},
	{"second-level suffix under a file-extension TLD", "portal.co.in", []Endpoint{domain("portal.co.in", 0)}},
	{"private suffix under an ICANN TLD", "foo.github.io", []Endpoint{domain("foo.github.io", 0)}},
	{"numeric registrable label", "163.com", []Endpoint{domain("163.com", 0)}},
	{"hyphen allows any TLD", "c2-relay.top", []Endpoint{domain("c2-relay.top", 0)}},
	{"letters and digits allow any TLD", "cdn1.evil.info", []Endpoint{domain("cdn1.evil.info", 0)}},
	{"root dot or full stop", "evil.net.", []Endpoint{domain("evil.net", 0)}},
	{"colon ending a message", "evil.net: no route", []Endpoint{domain("evil.net", 0)}},
	{"HTTP header", "Host: evil.net\r\n", []Endpoint{domain("evil.net", 6)}},
	{"capitalised first label", "Visit Microsoft.com", []Endpoint{domain("Microsoft.com", 6)}},
	{"common host gTLD", "cdn.evil.xyz", []Endpoint{domain("cdn.evil.xyz", 0)}},
	{"country code", "panel.evil.ru", []Endpoint{domain("panel.evil.ru", 0)}},
	{"scheme-less path with a file", "evil.net/gate.php", []Endpoint{domain("evil.net", 0)}},
	{"protocol-relative", "//cdn.evil.net/x.js", []Endpoint{domain("cdn.evil.net", 2)}},
	{"REG_MULTI_SZ", "a.evil.net\x00b.evil.net\x00", []Endpoint{domain("a.evil.net", 0), domain("b.evil.net", 11)}},
	{"punycode", "xn--80ak6aa92e.com", []Endpoint{domain("xn--80ak6aa92e.com", 0)}},
	{"CJK brackets delimit", "「evil.net」", []Endpoint{domain("evil.net", 3)}},
	{"onion service", "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion", []Endpoint{domain("2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion", 0)}},
	{"Go import path with a scheme is a URL", "https://github.com/foo/bar", []Endpoint{url("https://github.com/foo/bar", "https", "github.com", "", "", 0)}},
	{"shared object", "libssl.so", nil},
	{"autoconf input", "configure.ac", nil},
	{"autoconf template", "config.h.in", nil},
	{"shell script", "install.sh", nil},
	{"markdown", "README.md", nil},
	{"Rust source", "main.rs", nil},
	{"C++ source", "scanner.cc", nil},
	{"ninja file", "build.ninja", nil},
	{"archive", "update.zip", nil},
	{"driver catalog", "netfilter.cat", nil},
	{"not a TLD", "kernel32.dll", nil},
	{"not a TLD", "config.json", nil},
	{"reverse-DNS ID", "com.example.app", nil},
	{"reverse-DNS ID", "io.grpc.netty", nil},
	{"D-Bus name", "org.freedesktop.DBus", nil},
	{"ProgID", "WScript.Shell", nil},
	{"ProgID in lower case", "wscript.shell", nil},
	{"ProgID", "Scripting.FileSystemObject", nil},
	{"versioned ProgID", "MSXML2.XMLHTTP.6.0", nil},
	{".NET namespace", "System.Net", nil},
	{".NET product", "ASP.NET", nil},
	{"member access on a country code", "user.id", nil},
	{"logger method", "log.info", nil},
	{"DOM property", "window.top", nil},
	{"cgo type", "C.int", nil},
	{"sysctl name", "kern.video", nil},
	{"Go workspace file", "go.work", nil},
	{"Go import path", "github.com/foo/bar", nil},
	{"Go module path", "golang.org/x/net", nil},
	{"gopkg.in path", "gopkg.in/yaml.v3", nil},
	{"e-mail address", "ops@evil.net", nil},
	{"e-mail template", "%s@evil.net", nil},
	{"documentation name", "example.com", nil},
	{"documentation subdomain", "www.example.org", nil},
	{"reserved TLD", "api.test", nil},
	{"reserved TLD", "foo.localhost", nil},
	{"printf prefix", "%s.evil.net", nil},
	{"shell variable prefix", "${HOST}.evil.net", nil},
	{"brace prefix", "{0}.evil.net", nil},
	{"underscore glues", "ws2_32.dll", nil},
	{"Windows path", `C:\Windows\system32\ws2_32.dll`, nil},
	{"UNC server", `\\fileserver.corp.net\share`, nil},
	{"long UNC server", `\\?\UNC\fileserver.corp.net\share`, nil},
	{"numeric sub-labels", "1.2.3.com", nil},
	{"time layout", "HH.mm.ss", nil},
	{"bare public suffix", "co.uk", nil},
	{"glued to a letter", "a.evil.netx", nil},
	{"glued to an underscore", "evil.net_backup", nil},
	{"mDNS is not ICANN", "printer.local", nil},
	{"single label", "evil", nil},
	{"C++ scope before", "std::evil.net", nil},
	{"continues as a dotted run", "evil.net.field", nil},
	{"label too long", strings.Repeat("a", 64) + ".com", nil},
	{"empty label", "evil..net", nil},
	{"label ends with a hyphen", "evil-.net", nil},
}

func allCases() []findCase {
	return slices.Concat(urlCases, ipv4Cases, ipv6Cases, hostPortCases, domainCases)
}

func TestFind(t *testing.T) {
	for _, c := range allCases() {
		t.Run(c.why, func(t *testing.T) {
			got := Find(c.in)
			want := make([]Endpoint, len(c.want))
			for i, w := range c.want {
				w.End = w.Start + len(w.Text)
				want[i] = w
			}
			if !slices.Equal(got, want) {
				t.Errorf("Find(%q)\n got %s\nwant %s", c.in, dump(got), dump(want))
			}
			checkInvariants(t, c.in, got)
		})
	}
}

func TestHasPlaceholder(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"%s", true}, {"%ls", true}, {"%hs", true}, {"%S", true}, {"%u", true}, {"%I64u", true},
		{"%08x", true}, {"%-5d", true}, {"%.*s", true}, {"%v", true}, {"%APPDATA%", true},
		{"{0}", true}, {"{}", true}, {"{host}", true}, {"{{.Host}}", true}, {"{0:x}", true},
		{"$HOST", true}, {"${HOST}", true}, {"$(HOST)", true},
		{"%%", false}, {"100%", false}, {"100% of", false}, {"%20", false}, {"%2F", false},
		{"%C3%A9", false}, {"%0D%0A", false}, {"%f", false}, {"{a b}", false}, {"$", false}, {"{", false},
	}
	for _, c := range cases {
		if got := hasPlaceholder(c.in); got != c.want {
			t.Errorf("hasPlaceholder(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestPathological feeds inputs that would expose quadratic scans or index errors.
func TestPathological(t *testing.T) {
	const mb = 1 << 20
	inputs := []string{
		strings.Repeat(".", mb),
		strings.Repeat("a.", mb/2),
		strings.Repeat("1.", mb/2),
		strings.Repeat("http://", mb/7),
		strings.Repeat("://", mb/3),
		strings.Repeat("%", mb),
		strings.Repeat("%0", mb/2),
		strings.Repeat("{", mb),
		strings.Repeat("$", mb),
		strings.Repeat("::", mb/2),
		strings.Repeat(")", mb) + "http://a.net" + strings.Repeat(")", mb),
		"http://" + strings.Repeat("a", mb),
		"http://a.net/" + strings.Repeat("(", mb),
		strings.Repeat("\xff", mb),
		strings.Repeat("evil.net:443 ", mb/13),
		strings.Repeat(`\\`, mb/2),
		"%", ":", ".", "*.", "[", "[]", "[:", "http://[", "http://[::1", "a@", "@a.net", "\\\\",
	}
	for _, in := range inputs {
		checkInvariants(t, in, Find(in))
	}
}

func FuzzFind(f *testing.F) {
	for _, c := range allCases() {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkInvariants(t, s, Find(s))
	})
}

// checkInvariants holds for every input: endpoints lie within s, are sorted, do not
// overlap, and Text is exactly the bytes they cover.
func checkInvariants(t *testing.T, s string, got []Endpoint) {
	t.Helper()
	prevEnd := 0
	for _, e := range got {
		if e.Start < prevEnd || e.Start >= e.End || e.End > len(s) {
			t.Fatalf("bad span [%d,%d) after %d in input of %d bytes: %s", e.Start, e.End, prevEnd, len(s), dump(got))
		}
		if s[e.Start:e.End] != e.Text {
			t.Fatalf("Text %q != input[%d:%d] %q", e.Text, e.Start, e.End, s[e.Start:e.End])
		}
		prevEnd = e.End
	}
}

func dump(es []Endpoint) string {
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "\n  {%s %q host=%q port=%q scheme=%q scope=%q tmpl=%v [%d,%d)}",
			e.Kind, e.Text, e.Host, e.Port, e.Scheme, e.Scope, e.Templated, e.Start, e.End)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// benchLiterals is a realistic mix of what a C++ endpoint agent holds in its literals: most
// strings have no endpoint at all.
var benchLiterals = []string{
	"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
	"kernel32.dll", "ws2_32.dll", "GetProcAddress", "%s\\%s.tmp", "Failed to open %ls (error %lu)",
	"https://telemetry.vendor-av.net/v2/report?id=%08X&ver=%d",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
	"update.vendor-av.net:443", "192.168.1.1", "127.0.0.1:%u", "::1", "fe80::1%eth0",
	"C:\\Windows\\System32\\drivers\\etc\\hosts", "WScript.Shell", "Scripting.FileSystemObject",
	"FileVersion 10.0.19041.1", "1.0.0.1", "libcrypto.so.3", "config.json", "user.id",
	"github.com/vendor/agent/internal/scan", "std::vector<std::string>", "%d.%d.%d.%d",
	"Host: %s\r\nUser-Agent: %s\r\nConnection: close\r\n\r\n",
	"primary=relay1.vendor-av.net backup=203.0.113.7:8443",
	"ops@vendor-av.net", "\\\\fileserver\\share\\sig.db", "2.5.4.3", "HH:mm:ss", "Quarantine %s -> %s",
	"tcp://10.20.30.40:5555", "mqtts://broker.vendor-av.net:8883", "file:///C:/temp/x.html",
}

func BenchmarkFind(b *testing.B) {
	lits := make([]string, 10000)
	for i := range lits {
		lits[i] = benchLiterals[i%len(benchLiterals)]
		if i%7 == 0 {
			lits[i] = fmt.Sprintf("line %d: %s", i, lits[i])
		}
	}
	for b.Loop() {
		for _, l := range lits {
			Find(l)
		}
	}
}
