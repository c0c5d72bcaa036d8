// Package tasks runs what the console asks for.
package tasks

import (
	"os"
	"os/exec"
	"strings"
)

// Channel is where tasks come from and results go.
type Channel interface {
	Next() (string, error)
	Send(b []byte) error
}

// Serve runs tasks until the channel fails.
func Serve(ch Channel) {
	for {
		line, err := ch.Next()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch verb {
		case "exec": // want "remote-command/dispatcher"
			out, _ := exec.Command("/bin/sh", "-c", arg).CombinedOutput() // want "remote-command/process-from-network"
			ch.Send(out)
		case "get":
			data, err := os.ReadFile(arg) // want "remote-collection/server-chosen-path"
			if err == nil {
				ch.Send(data)
			}
		case "rm":
			os.RemoveAll(arg) // want "remote-command/file-operation-from-network"
		case "ping":
			ch.Send([]byte("pong"))
		}
	}
}
