// Package collect gathers what the agent reports: host identity, a listing of the user's
// folders, the environment, and the agent's own version.
package collect

import (
	"os"
	"os/user"
	"path/filepath"
	"runtime"
)

// Inventory is the host document the agent uploads.
type Inventory struct {
	Host  string            `json:"host"`
	User  string            `json:"user"`
	OS    string            `json:"os"`
	Env   map[string]string `json:"env,omitempty"`
	Files []string          `json:"files,omitempty"`
}

// Collector caches the host name between reports.
type Collector struct {
	host string
}

// Refresh reads the host name into the receiver.
func (c *Collector) Refresh() {
	c.host, _ = os.Hostname()
}

// Host returns the cached host name.
func (c *Collector) Host() string {
	return c.host
}

// Identity builds the inventory document.
func Identity() Inventory {
	inv := Inventory{OS: runtime.GOOS + "/" + runtime.GOARCH}
	inv.Host, _ = os.Hostname()
	if u, err := user.Current(); err == nil {
		inv.User = u.Username
	}
	return inv
}

// Recent lists the files in the user's Recent folder.
func Recent() []string {
	dir := filepath.Join(os.Getenv("APPDATA"), `Microsoft\Windows\Recent`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Proxy returns the proxy the user configured.
func Proxy() string {
	return os.Getenv("HTTPS_PROXY")
}

// Version is the agent's build, a constant.
func Version() string {
	return "7.1.0-build.2231"
}
