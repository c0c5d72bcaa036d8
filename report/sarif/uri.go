package sarif

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// relativeURI turns a slash-separated path relative to the scan root into a relative URI
// reference: every byte that may not appear in a URI path segment is percent-encoded
// (spaces, '#', '?', '%', non-ASCII as UTF-8), and so is ':', which would otherwise make a
// first segment like "c:" read as a scheme.
func relativeURI(p string) string {
	return escapePath(p, false)
}

// windowsPath matches a Windows drive or UNC path. It is recognised whatever the OS writing
// the log, because a scan made on Windows may be rendered elsewhere, and there '\\' is no
// separator to path/filepath.
var windowsPath = regexp.MustCompile(`^(?:[A-Za-z]:[\\/]|\\\\[^\\])`)

// rootURI is the file:// URI of the scan root, with the trailing slash SARIF requires of a
// base URI so that relative URIs resolve under it rather than beside it. Drive letters are
// spelled "file:///C:/...", and a UNC path \\server\share becomes file://server/share/.
func rootURI(dir string) string {
	p, host := filepath.ToSlash(dir), ""
	windows := windowsPath.MatchString(dir)
	if windows {
		p = strings.ReplaceAll(dir, `\`, "/")
	}
	if windows && strings.HasPrefix(p, "//") {
		host, p, _ = strings.Cut(p[2:], "/")
		p = "/" + p
	}
	p = path.Clean("/" + p)
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return "file://" + escapePath(host, false) + escapePath(p, true)
}

// escapePath percent-encodes p as a URI path, leaving '/' as the separator. colon says
// whether ':' may stay as is (in an absolute path it is harmless, and drive letters use it).
func escapePath(p string, colon bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if pathChar(c) || c == ':' && colon {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// pathChar reports whether c may appear unencoded in a URI path (RFC 3986 pchar, plus '/',
// minus ':' which the caller decides on).
func pathChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=@/", c) >= 0
}

// originalURIBaseIDs maps %SRCROOT% to the scan root. Without a root there is nothing to map
// it to, but the base id is still declared so that consumers know the URIs are relative.
func originalURIBaseIDs(root string) map[string]*sarif.ArtifactLocation {
	loc := &sarif.ArtifactLocation{
		Description: &sarif.Message{Text: ptr("The root directory of the scan; every URI in this log is relative to it.")},
	}
	if root != "" {
		loc.URI = ptr(rootURI(root))
	}
	return map[string]*sarif.ArtifactLocation{srcRoot: loc}
}
