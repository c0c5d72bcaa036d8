// Package terminal implements services.Terminal; only the main package imports it.
package terminal

import "os/exec"

// Service runs commands in a shell.
type Service struct{}

// Run runs command.
func (Service) Run(command string) ([]byte, error) {
	return exec.Command("sh", "-c", command).CombinedOutput()
}
