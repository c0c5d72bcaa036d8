package sarif

import (
	"net/url"
	"regexp"
	"testing"

	"glassbox/analyzers/finding"
)

func TestPascalName(t *testing.T) {
	tests := []struct{ id, want string }{
		{"egress/hardcoded-url", "EgressHardcodedUrl"},
		{"telemetry/host-identity-upload", "TelemetryHostIdentityUpload"},
		{"winhttp/WinHttpOpen", "WinhttpWinHttpOpen"},
		{"obfuscation.xor_loop", "ObfuscationXorLoop"},
		{"egress/ipv6-literal", "EgressIpv6Literal"},
		{"3des/key", "Rule3desKey"},
		{"file-too-large", "FileTooLarge"},
		{"--", "Rule"},
	}
	ident := regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	for _, tt := range tests {
		got := pascalName(tt.id)
		if got != tt.want {
			t.Errorf("pascalName(%q) = %q, want %q", tt.id, got, tt.want)
		}
		if !ident.MatchString(got) {
			t.Errorf("pascalName(%q) = %q is not a PascalCase identifier", tt.id, got)
		}
	}
}

func TestRelativeURI(t *testing.T) {
	tests := []struct{ path, want string }{
		{"src/main.c", "src/main.c"},
		{"src/net/upload client.c", "src/net/upload%20client.c"},
		{"src/#tmp/100% done.c", "src/%23tmp/100%25%20done.c"},
		{"src/модуль/конфиг.cpp", "src/%D0%BC%D0%BE%D0%B4%D1%83%D0%BB%D1%8C/%D0%BA%D0%BE%D0%BD%D1%84%D0%B8%D0%B3.cpp"},
		{"c:odd/what?.c", "c%3Aodd/what%3F.c"}, // a first segment "c:" would read as a scheme
		{"a\\b.c", "a%5Cb.c"},                  // a backslash is a file name character here
		{"lib/foo++/x_(1)~.h", "lib/foo++/x_(1)~.h"},
	}
	for _, tt := range tests {
		got := relativeURI(tt.path)
		if got != tt.want {
			t.Errorf("relativeURI(%q) = %q, want %q", tt.path, got, tt.want)
		}
		u, err := url.Parse(got)
		if err != nil || u.IsAbs() || u.Path != tt.path {
			t.Errorf("relativeURI(%q) = %q parses as %+v, %v; want a relative reference to the same path", tt.path, got, u, err)
		}
	}
}

func TestRootURI(t *testing.T) {
	tests := []struct{ dir, want string }{
		{"/src", "file:///src/"},
		{"/src/", "file:///src/"},
		{"/", "file:///"},
		{"/home/reviewer/av engine", "file:///home/reviewer/av%20engine/"},
		{"/home/ревьюер/#av", "file:///home/%D1%80%D0%B5%D0%B2%D1%8C%D1%8E%D0%B5%D1%80/%23av/"},
		{`C:\Users\dev\av`, "file:///C:/Users/dev/av/"},
		{`C:/Users/dev/av/`, "file:///C:/Users/dev/av/"},
		{`\\fileserver\share\av`, "file://fileserver/share/av/"},
	}
	for _, tt := range tests {
		if got := rootURI(tt.dir); got != tt.want {
			t.Errorf("rootURI(%q) = %q, want %q", tt.dir, got, tt.want)
		}
	}
}

func TestIANACharset(t *testing.T) {
	tests := []struct{ enc, want string }{
		{"utf-8", "utf-8"},
		{"utf-8-bom", "utf-8"},
		{"utf-16le", "utf-16le"},
		{"utf-16be", "utf-16be"},
		{"windows-1251", "windows-1251"},
		{"utf-8+windows-1251", "windows-1251"},
		{"utf-8+cp866", "ibm866"},
		{"cp866", "ibm866"},
		{"koi8-r", "koi8-r"},
		{"Shift_JIS", "shift_jis"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := ianaCharset(tt.enc); got != tt.want {
			t.Errorf("ianaCharset(%q) = %q, want %q", tt.enc, got, tt.want)
		}
	}
}

func TestSemanticVersion(t *testing.T) {
	tests := []struct{ v, want string }{
		{"1.2.3", "1.2.3"},
		{"v0.5.0-rc.1", "0.5.0-rc.1"},
		{"1.0.0+build.7", "1.0.0+build.7"},
		{"dev", ""},
		{"(devel)", ""},
		{"1.2", ""},
		{"01.2.3", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got := ""
		if p := semanticVersion(tt.v); p != nil {
			got = *p
		}
		if got != tt.want {
			t.Errorf("semanticVersion(%q) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"skipped: empty file", "skipped: empty file."},
		{"Already a sentence.", "Already a sentence."},
		{"Really?", "Really?"},
		{"  padded  ", "padded."},
		{"", ""},
	}
	for _, tt := range tests {
		if got := sentence(tt.in); got != tt.want {
			t.Errorf("sentence(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ md, want string }{
		{"plain", "plain"},
		{"## Heading\n\nText with `code` and **bold**.", "Heading\n\nText with code and bold."},
		{"See [the docs](https://example.org/x).", "See the docs (https://example.org/x)."},
		{"```c\nsend(s, b, n, 0);\n```\nAfter.", "send(s, b, n, 0);\nAfter."},
		{"a * b * c and x__y", "a * b * c and x__y"},
	}
	for _, tt := range tests {
		if got := plainText(tt.md); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.md, got, tt.want)
		}
	}
}

func TestNameGUID(t *testing.T) {
	uuid5 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := nameGUID("MITRE ATT&CK"), nameGUID("CWE")
	for _, g := range []string{a, b} {
		if !uuid5.MatchString(g) {
			t.Errorf("%q is not a lower-case version 5 UUID", g)
		}
	}
	if a == b {
		t.Errorf("two names share GUID %s", a)
	}
	if nameGUID("CWE") != b {
		t.Errorf("nameGUID is not deterministic")
	}
	// Pinned: a GUID that changes breaks every consumer that keyed on it.
	if want := "d287f7d2-f641-5643-ba67-4df63ea5ecad"; b != want {
		t.Errorf("nameGUID(CWE) = %s, want %s", b, want)
	}
}

func TestProperSuperset(t *testing.T) {
	r := finding.Region{StartLine: 10, StartColumn: 5, EndLine: 10, EndColumn: 20}
	tests := []struct {
		name string
		c    finding.Region
		want bool
	}{
		{"whole line", finding.Region{StartLine: 10, StartColumn: 1, EndLine: 10, EndColumn: 30}, true},
		{"lines around", finding.Region{StartLine: 9, StartColumn: 1, EndLine: 11, EndColumn: 2}, true},
		{"line without columns", finding.Region{StartLine: 10}, true},
		{"equal", r, false},
		{"starts inside", finding.Region{StartLine: 10, StartColumn: 6, EndLine: 10, EndColumn: 30}, false},
		{"ends inside", finding.Region{StartLine: 9, StartColumn: 1, EndLine: 10, EndColumn: 19}, false},
		{"capped before the end", finding.Region{StartLine: 10, StartColumn: 1, EndLine: 9, EndColumn: 1}, false},
		{"elsewhere", finding.Region{StartLine: 20, StartColumn: 1, EndLine: 21, EndColumn: 1}, false},
	}
	for _, tt := range tests {
		if got := properSuperset(tt.c, r); got != tt.want {
			t.Errorf("%s: properSuperset(%+v, %+v) = %v, want %v", tt.name, tt.c, r, got, tt.want)
		}
	}
	whole := finding.Region{StartLine: 3, StartColumn: 1, EndLine: 3, EndColumn: 22}
	if properSuperset(whole, whole) {
		t.Errorf("a region is not a proper superset of itself")
	}
}
