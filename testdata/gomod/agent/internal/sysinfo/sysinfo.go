// Package sysinfo describes the host the agent runs on.
package sysinfo

import (
	"os"
	"os/user"
	"runtime"
)

// Info is what the agent reports about its host.
type Info struct {
	Host    string
	User    string
	OS      string
	Version string
}

// Collect describes this host.
func Collect() Info {
	info := Info{OS: runtime.GOOS, Version: "5.2.0"}
	info.Host, _ = os.Hostname()
	if u, err := user.Current(); err == nil {
		info.User = u.Username
	}
	return info
}
