package endpoint

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// fileExtTLDs are ICANN TLDs that are also extensions of source, build, script, archive or
// metadata files that C, C++ and Go code bases name in their literals: shared objects and
// scripts (so, sh, py, pl, pm, rs), docs (md, ps), C++ sources (cc, inc), autotools and make
// (in, am, ac, mk), Qt/GN/Ninja/linker build files (pro, gn, ninja, lds, map), OCaml (ml),
// archives and media (zip, cab, mov), Windows driver catalogs (cat), pid files and systemd
// targets (pid, target) and Java-style property files (properties). "libfoo.so",
// "configure.ac" and "build.ninja" are files, so a name ending in one of these is never a
// domain. The price is real hosts under them (.pl, .rs, .in, .cc, …), accepted for
// precision; they are still found in URLs, and under a second-level suffix such as co.in or
// com.pl, which no file name has. app, dev, ai and io are deliberately absent: they are
// common host TLDs and rare extensions in this code.
var fileExtTLDs = setOf(
	"so", "sh", "py", "pl", "pm", "rs", "md", "ps", "cc", "inc",
	"in", "am", "ac", "mk", "pro", "gn", "ninja", "lds", "map", "ml",
	"zip", "cab", "mov", "cat", "pid", "target", "properties",
)

// hostGTLDs are the generic TLDs under which a name made of letters alone is accepted: the
// legacy gTLDs and the open new gTLDs that carry most hosts, benign or malicious (those that
// public abuse rankings list most). The ~1,200 other gTLDs are English words and brands that
// dotted identifiers end in far more often than hosts do: "kern.video", "C.free",
// "main.zero", "go.tools", "Microsoft.Windows". Two-letter country-code TLDs are all
// accepted, except identifierTLDs. A name with a hyphen, or letters and digits mixed, in
// some label is no identifier, so it may end in any ICANN TLD ("c2-relay.top",
// "cdn1.evil.info").
// Deliberately missing, because they are also everyday member or key names: info
// ("log.info"), top ("window.top"), name, host, link, click, store, live, email, group,
// data, date, page, stream, int ("C.int") and work ("go.work").
var hostGTLDs = setOf(
	"com", "net", "org", "edu", "gov", "mil", "biz", "mobi", "asia",
	"app", "dev", "xyz", "online", "site", "website", "club", "icu", "shop", "buzz",
	"tech", "space", "fun", "vip", "cloud", "blog", "news", "win", "bid", "loan",
	"men", "party", "racing", "review", "trade", "accountant", "cricket", "faith",
	"gdn", "press", "cyou", "monster", "sbs", "cfd", "lol", "quest",
)

// identifierTLDs are country codes that letters-only dotted names end in as identifiers
// more often than as hosts: "user.id", "row.id", "timeout.ms".
var identifierTLDs = setOf("id", "ms")

// reverseDNSRoots are the generic TLDs that open reverse-DNS identifiers: Java packages,
// D-Bus names, bundle and app IDs ("com.example.app", "org.freedesktop.DBus").
var reverseDNSRoots = setOf("com", "org", "net", "io", "edu", "gov")

// reservedTLDs are reserved for documentation and testing (RFC 2606, RFC 6761). Names under
// them, and under example.com/.net/.org, are placeholders, not endpoints, so they are skipped
// everywhere, URLs included; "localhost" on its own is a real loopback host and stays.
var reservedTLDs = setOf("example", "test", "invalid", "localhost")

// reservedDomains are the RFC 2606 second-level documentation names.
var reservedDomains = []string{"example.com", "example.net", "example.org"}

// maxDomain is the longest name DNS can carry.
const maxDomain = 253

// isDomain reports whether name (optionally opening with a "*." wildcard) is a domain name
// worth reporting outside a URL: valid DNS syntax with two or more labels, under an ICANN
// suffix, and not one of the look-alikes that code is full of.
func isDomain(name string) bool {
	name = strings.TrimPrefix(name, "*.")
	if len(name) > maxDomain || !strings.Contains(name, ".") {
		return false
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 || !validLabels(labels) {
		return false
	}
	tld := labels[len(labels)-1]
	// Hosts are written in lower case; an upper- or title-case last label is a namespace or
	// product (System.Net, ASP.NET, WScript.Shell), not a TLD.
	if tld != strings.ToLower(tld) {
		return false
	}
	lower := strings.ToLower(name)
	suffix, ok := icannSuffix(lower, tld)
	if !ok || isReserved(lower) || reverseDNS(labels) || numericSubLabels(labels, suffix) || timePattern(labels) {
		return false
	}
	return suffix != tld || hostTLD(tld, labels)
}

// hostTLD reports whether a name with these labels, directly under the single-label suffix
// tld, is a host rather than a file name or a dotted identifier. Names under a second-level
// suffix (co.uk, com.pl) skip this test: no file or identifier ends that way.
func hostTLD(tld string, labels []string) bool {
	if fileExtTLDs[tld] {
		return false
	}
	if !identifierShaped(labels) {
		return true
	}
	return (len(tld) == 2 && !identifierTLDs[tld]) || hostGTLDs[tld]
}

// validLabels checks DNS label syntax: 1-63 letters, digits or hyphens, no hyphen at either
// end.
func validLabels(labels []string) bool {
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isLetter(l[i]) && !isDigit(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	return true
}

// icannSuffix returns the ICANN public suffix of lower and whether lower is a name under one
// rather than the suffix itself ("co.uk"). A name under a private suffix (github.io,
// blogspot.com, s3.amazonaws.com) is a real host too; its ICANN suffix is taken to be the TLD.
func icannSuffix(lower, tld string) (string, bool) {
	suffix, icann := publicsuffix.PublicSuffix(lower)
	if icann {
		return suffix, suffix != lower
	}
	if _, icann := publicsuffix.PublicSuffix(tld); icann {
		return tld, true
	}
	return "", false
}

// isReserved reports whether lower is a documentation or test name that is never a real
// endpoint.
func isReserved(lower string) bool {
	lower = strings.TrimSuffix(lower, ".")
	for _, d := range reservedDomains {
		if lower == d || strings.HasSuffix(lower, "."+d) {
			return true
		}
	}
	dot := strings.LastIndexByte(lower, '.')
	return dot >= 0 && reservedTLDs[lower[dot+1:]]
}

// reverseDNS reports names such as "com.example.app": three or more labels, the first a
// generic TLD. Hosts under a subdomain literally named com or net are rarer than these IDs.
func reverseDNS(labels []string) bool {
	return len(labels) >= 3 && reverseDNSRoots[strings.ToLower(labels[0])]
}

// numericSubLabels reports an all-digit label left of the registrable label
// ("1.2.3.com", "obj.0.info"), which is a dotted number or index path, not a host. The
// registrable label itself may be numeric: 163.com and 360.cn are real.
func numericSubLabels(labels []string, suffix string) bool {
	registrable := len(labels) - strings.Count(suffix, ".") - 2
	for _, l := range labels[:max(registrable, 0)] {
		if isDigits(l) {
			return true
		}
	}
	return false
}

// timePattern reports date and time layouts such as "HH.mm.ss" or "h.mm.ss": every label is
// one letter, repeated. (ss is South Sudan's TLD.)
func timePattern(labels []string) bool {
	for _, l := range labels {
		if strings.Trim(l, l[:1]) != "" {
			return false
		}
	}
	return true
}

// identifierShaped reports whether no label looks like a host label: none has a hyphen
// (which identifiers cannot hold) or mixes letters with digits ("c2", "cdn1").
func identifierShaped(labels []string) bool {
	for _, l := range labels {
		if strings.Contains(l, "-") || (strings.ContainsAny(l, "0123456789") && !isDigits(l)) {
			return false
		}
	}
	return true
}
