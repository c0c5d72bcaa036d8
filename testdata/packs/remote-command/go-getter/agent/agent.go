// Package agent reads tasks from the controller and runs them through the task table.
package agent

import (
	"crypto/tls"

	"example.com/getter/tasks"
)

// Serve runs the controller's tasks: one type byte, then the argument.
func Serve(conn *tls.Conn) {
	table := tasks.Handlers()
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		if err != nil || n < 1 {
			return
		}
		if h, ok := table[uint32(buf[0])]; ok { // want "remote-command/dispatcher"
			h(buf[1:n])
		}
	}
}

// Replay runs the same table on a task stored in the binary.
func Replay() {
	table := tasks.Handlers()
	if h, ok := table[2]; ok { // ok: a constant task type
		h([]byte("/tmp/agent.cache"))
	}
}
