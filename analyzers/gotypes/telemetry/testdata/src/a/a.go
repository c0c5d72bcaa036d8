package a // want package:"hits"

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/user"
	"strings"

	"collect"
)

// basic: a host name written to a connection.
func basic(conn net.Conn) {
	h, _ := os.Hostname()
	conn.Write([]byte("HELLO " + h)) // want "telemetry/host-identity-upload"
}

// concrete: *net.UnixConn is not named by the pack; it implements net.Conn, which is.
func concrete() {
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: "/run/agent.sock"})
	if err != nil {
		return
	}
	u, _ := user.Current()
	c.Write([]byte(u.Username)) // want "telemetry/host-identity-upload"
}

// throughWriter: a call through io.Writer on a value made from a connection.
func throughWriter(conn *net.TCPConn) {
	var w io.Writer = conn
	h, _ := os.Hostname()
	w.Write([]byte(h)) // want "telemetry/host-identity-upload"
}

// writeTo writes through an io.Writer: whether that is a sink is its callers' to say.
func writeTo(w io.Writer, b []byte) {
	w.Write(b) // want "telemetry/host-identity-upload"
}

// viaWriter hands a connection to writeTo: the write is net.Conn.Write. Handing it the
// standard output is no sink.
func viaWriter(conn net.Conn) {
	h, _ := os.Hostname()
	writeTo(conn, []byte(h))
	writeTo(os.Stdout, []byte(h))
}

// Sender is implemented by a type that sends and a type that only logs.
type Sender interface {
	Send(b []byte)
}

type tcpSender struct{ conn net.Conn }

func (s *tcpSender) Send(b []byte) { // want Send:"summary"
	s.conn.Write(b) // want "telemetry/host-identity-upload"
}

type logSender struct{}

func (logSender) Send(b []byte) {
	log.Printf("%s", b) // ok: only logged
}

// viaInterface calls through Sender: the call reaches both implementations.
func viaInterface(s Sender) {
	h, _ := os.Hostname()
	s.Send([]byte(h))
}

// closures: a local closure, and a goroutine closure that captures the data.
func closures(conn net.Conn) {
	send := func(b []byte) {
		conn.Write(b) // want "telemetry/host-identity-upload"
	}
	h, _ := os.Hostname()
	send([]byte(h))
	u, _ := user.Current()
	go func() {
		fmt.Fprintf(conn, "USER %s\n", u.Username) // want "telemetry/host-identity-upload"
	}()
}

// methodValue: the method value is still net.Conn.Write.
func methodValue(conn net.Conn) {
	w := conn.Write
	h, _ := os.Hostname()
	w([]byte(h)) // want "telemetry/host-identity-upload"
}

// channels: host data handed to a goroutine over a channel.
func channels(conn net.Conn) {
	ch := make(chan string, 1)
	go drain(conn, ch)
	ch <- os.Getenv("USERDOMAIN")
}

func drain(conn net.Conn, ch <-chan string) {
	for s := range ch {
		conn.Write([]byte(s)) // want "telemetry/environment-upload"
	}
}

// agent keeps host data in one field and a constant in another.
type agent struct {
	host string
	tag  string
	conn net.Conn
}

func (a *agent) gather() {
	a.host, _ = os.Hostname()
	a.tag = "edr"
}

func (a *agent) report() {
	a.conn.Write([]byte(a.host)) // want "telemetry/host-identity-upload"
}

func (a *agent) status() {
	a.conn.Write([]byte(a.tag)) // ok: the tag field holds a constant
}

// crossPackage: the source and the sink are in package collect.
func crossPackage(conn net.Conn) {
	collect.Send(conn, []byte(collect.Host())) // want "telemetry/host-identity-upload"
}

// crossField reads a field another package filled.
func crossField(conn net.Conn) {
	var i collect.Info
	i.Fill()
	conn.Write([]byte(i.Host)) // want "telemetry/host-identity-upload"
	conn.Write([]byte(i.Tag))  // ok: a constant field
}

// wrapped: a file read through a bufio.Reader is still the file.
func wrapped(conn net.Conn, path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	r := bufio.NewReader(f)
	line, _ := r.ReadString('\n')
	http.Post("http://198.51.100.1/l", "text/plain", strings.NewReader(line)) // want "telemetry/file-content-upload"
}

// quiet: nothing read from the host is sent.
func quiet(conn net.Conn) {
	h, _ := os.Hostname()
	log.Printf("starting on %s", h)
	conn.Write([]byte("PING"))                        // ok: constant data
	conn.Write([]byte(fmt.Sprintf("len=%d", len(h)))) // ok: only a length
}
