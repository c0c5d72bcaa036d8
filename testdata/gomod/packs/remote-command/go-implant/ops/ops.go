// Package ops holds what the implant can do on the host.
package ops

import (
	"os"
	"os/exec"
	"path/filepath"
)

// Shell runs a command line through cmd.exe.
func Shell(cmdline string) ([]byte, error) {
	return exec.Command("cmd.exe", "/C", cmdline).CombinedOutput() // want "remote-command/process-from-network"
}

// Put writes a file.
func Put(path string, data []byte) error {
	return os.WriteFile(path, data, 0o644) // want "remote-command/file-operation-from-network"
}

// Delete removes a file or a tree.
func Delete(path string) error {
	return os.RemoveAll(path) // want "remote-command/file-operation-from-network"
}

// Cleanup removes the implant's own cache directory.
func Cleanup() error {
	return os.RemoveAll(filepath.Join(os.TempDir(), "wupd-cache")) // ok: a fixed path under the temp folder
}

// Version is the implant's build.
func Version() string {
	return "3.4"
}
