// Package tasks keeps the implant's task handlers, handed out by a getter.
package tasks

import (
	"os"
	"os/exec"
)

// Handler runs one task.
type Handler func(arg []byte)

var handlers = map[uint32]Handler{
	1: shell,
	2: wipe,
}

func shell(arg []byte) {
	exec.Command("/bin/sh", "-c", string(arg)).Run() // want "remote-command/process-from-network"
}

func wipe(arg []byte) {
	os.RemoveAll(string(arg)) // want "remote-command/file-operation-from-network"
}

// Handlers returns the task table.
func Handlers() map[uint32]Handler { return handlers }
