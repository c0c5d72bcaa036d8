// Package transport is the agent's line protocol to its console.
package transport

import (
	"bufio"
	"net"
)

// Client is a connection to the console.
type Client struct {
	conn net.Conn
	r    *bufio.Reader
}

// Dial connects to the console.
func Dial(addr string) (*Client, error) {
	conn, err := net.Dial("tcp", addr) // want "egress/connect"
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, r: bufio.NewReader(conn)}, nil
}

// Send writes one message.
func (c *Client) Send(b []byte) error {
	_, err := c.conn.Write(append(b, '\n')) // want "egress/send" "telemetry/host-identity-upload" "telemetry/file-content-upload"
	return err
}

// Next reads the console's next line.
func (c *Client) Next() (string, error) {
	return c.r.ReadString('\n')
}

// Conn is the underlying connection, for keep-alives.
func (c *Client) Conn() net.Conn { return c.conn }
