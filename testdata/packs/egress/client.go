// Annotated samples for the egress pack: Go net and net/http.
package agent

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	nurl "net/url"
	"os"
)

const collector = "https://collect.avcorp-cloud.net/api/v1/telemetry" // want "egress/hardcoded-url"

type Agent struct {
	client *http.Client
	conn   net.Conn
}

func (a *Agent) Upload(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, collector, bytes.NewReader(body)) // want "egress/http-request"
	if err != nil {
		return err
	}
	resp, err := a.client.Do(req) // want "egress/http-request"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func Beacon(host string, data []byte) error {
	conn, err := net.Dial("tcp", net.JoinHostPort(host, "8443")) // want "egress/connect"
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.Write(data); err != nil { // want "egress/send"
		return err
	}
	buf := make([]byte, 512)
	_, err = conn.Read(buf) // want "egress/receive"
	return err
}

func Simple() {
	resp, _ := http.Get("http://198.51.100.23:8080/cmd") // want "egress/http-request" "egress/hardcoded-url"
	_ = resp
	client := &http.Client{}
	client.Post(collector, "application/json", nil)       // want "egress/http-request"
	http.DefaultClient.Do(nil)                            // want "egress/http-request"
	addrs, _ := net.LookupHost("update.avcorp-cloud.net") // want "egress/dns-lookup" "egress/hardcoded-host"
	_ = addrs
	c, _ := tls.Dial("tcp", "relay.avcorp-cloud.net:443", nil) // want "egress/connect" "egress/hardcoded-host"
	_ = c
	ln, _ := net.Listen("tcp", ":9000") // want "egress/listen"
	_ = ln
}

func NotNetwork(buf *bytes.Buffer, f *os.File) {
	buf.Write([]byte("x"))  // ok: a bytes.Buffer write stays in memory
	f.Write([]byte("x"))    // ok: a file write is not a network send
	u, _ := nurl.Parse("x") // ok: parsing a URL sends nothing
	_ = u
	_ = "github.com/avcorp/agent/internal" // ok: an import-path-like string is not a host
	_ = "config.yaml"                      // ok: a file name
}

func Fallback() net.Conn {
	c, _ := net.Dial("udp", "192.0.2.44:53") // want "egress/connect" "egress/hardcoded-ip"
	return c
}

func Versions() string {
	version := "3.1.4.1" // ok: a version assigned to a variable named version
	return version
}

func explain(code int) error {
	return fmt.Errorf("upload refused (%d): see https://docs.avcorp-cloud.net/errors", code) // ok: a link in an error message
}
