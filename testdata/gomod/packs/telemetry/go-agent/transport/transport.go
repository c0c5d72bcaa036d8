// Package transport talks to the vendor's telemetry service.
package transport

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"time"
)

// Client posts JSON documents and raw lines.
type Client struct {
	base string
	hc   *http.Client
	conn net.Conn
}

// New returns a client for the service at base.
func New(base string) *Client {
	return &Client{base: base, hc: &http.Client{Timeout: 15 * time.Second}}
}

// Dial opens the raw line channel.
func (c *Client) Dial(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	c.conn = conn
	return nil
}

// PostJSON marshals v and posts it under path.
func (c *Client) PostJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	resp, err := c.hc.Post(c.base+path, "application/json", bytes.NewReader(b)) // want "telemetry/host-identity-upload" "telemetry/directory-listing-upload" "telemetry/environment-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Line sends one line on the raw channel.
func (c *Client) Line(s string) error {
	_, err := c.conn.Write([]byte(s + "\n")) // want "telemetry/host-identity-upload"
	return err
}

// Hello sends the protocol greeting, a constant.
func (c *Client) Hello() error {
	_, err := c.conn.Write([]byte("HELLO 2\n")) // ok: constant greeting
	return err
}
