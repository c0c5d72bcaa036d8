// Package collect gathers host data and sends it for package a: the flows cross packages
// through facts.
package collect

import (
	"net"
	"os"
)

// Host returns the host name.
func Host() string {
	h, _ := os.Hostname()
	return h
}

// Send writes b to c.
func Send(c net.Conn, b []byte) {
	c.Write(b)
}

// Info is host data kept in a struct another package reads.
type Info struct {
	Host string
	Tag  string
}

// Fill stores the host name in a field.
func (i *Info) Fill() {
	i.Host, _ = os.Hostname()
	i.Tag = "agent"
}
