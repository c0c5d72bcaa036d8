// Package collect gathers what the agent reports about its host.
package collect

import (
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
)

// HostInfo is the agent's self-description.
type HostInfo struct {
	Hostname string `json:"hostname"`
	User     string `json:"user"`
	OS       string `json:"os"`
	Agent    string `json:"agent"`
}

// Host describes this machine.
func Host() HostInfo {
	name, _ := os.Hostname()
	u, _ := user.Current()
	return HostInfo{Hostname: name, User: u.Username, OS: runtime.GOOS, Agent: "sentinel/4.2"}
}

// Interesting walks root and returns the documents whose names suggest they are sensitive.
func Interesting(root string) []string {
	var found []string
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		name := strings.ToLower(info.Name())
		if strings.Contains(name, "confidential") || strings.Contains(name, "passwords") { // want "remote-collection/keyword-search"
			found = append(found, path)
		}
		return nil
	})
	return found
}
