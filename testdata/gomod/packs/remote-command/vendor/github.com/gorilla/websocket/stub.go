// Package websocket stands in for github.com/gorilla/websocket, vendored for the typed samples.
package websocket

import "net/http"

const (
	TextMessage   = 1
	BinaryMessage = 2
)

type Conn struct{}

type Dialer struct{}

var DefaultDialer = &Dialer{}

func (d *Dialer) Dial(url string, h http.Header) (*Conn, *http.Response, error) {
	return &Conn{}, nil, nil
}

func (c *Conn) ReadMessage() (int, []byte, error) { return 0, nil, nil }

func (c *Conn) ReadJSON(v any) error { return nil }

func (c *Conn) WriteMessage(t int, data []byte) error { return nil }

func (c *Conn) WriteJSON(v any) error { return nil }

func (c *Conn) Close() error { return nil }
