package b // want package:"hits"

import "os"

// cache writes the host name to a file: only the reviewer's pack cares.
func cache() {
	h, _ := os.Hostname()
	os.WriteFile("/tmp/host", []byte(h), 0o600) // want "mine/host-name-on-disk"
}
