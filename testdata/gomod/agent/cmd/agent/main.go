// Command agent is a small endpoint agent with planted behaviour: it reports its host to a
// console and runs the console's commands.
package main

import (
	"encoding/json"
	"log"

	"example.com/agent/internal/sysinfo"
	"example.com/agent/internal/tasks"
	"example.com/agent/internal/transport"
)

// Reporter is anything that can send a report.
type Reporter interface {
	Send(b []byte) error
}

func report(r Reporter) {
	b, _ := json.Marshal(sysinfo.Collect())
	r.Send(b)
}

func main() {
	c, err := transport.Dial("console.example-edr.net:7443") // want "egress/hardcoded-host"
	if err != nil {
		log.Fatal(err)
	}
	report(c)
	go heartbeat(c)
	tasks.Serve(c)
}

// heartbeat writes to the connection the client hands out: only types say it is a net.Conn.
func heartbeat(c *transport.Client) {
	info := sysinfo.Collect()
	c.Conn().Write([]byte("HB " + info.Host)) // todo "egress/send" "telemetry/host-identity-upload" (tree-sitter does not type a call's result)
	c.Conn().Write([]byte("HB " + info.OS))   // ok: the operating system's name is not host identity
}
