package endpoint

import "net/netip"

// cgnat is the shared address space of RFC 6598. netip does not count it as private, but it
// is no more reachable from the Internet than 10/8, so reviewers should see it as private.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// scopeOf names the reach of an address. Multicast is tested before link-local so that
// ff02::1 reads as multicast, which is what matters for a reviewer.
func scopeOf(a netip.Addr) string {
	a = a.Unmap().WithZone("")
	switch {
	case a.IsUnspecified():
		return "unspecified"
	case a.IsLoopback():
		return "loopback"
	case a.IsMulticast():
		return "multicast"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsPrivate() || cgnat.Contains(a):
		return "private"
	}
	return "public"
}
