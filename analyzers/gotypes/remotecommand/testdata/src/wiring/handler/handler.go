// Package handler answers the server's tasks through the services it is given.
package handler

import (
	"net"

	"wiring/services"
)

// Handler holds the connection and the services.
type Handler struct {
	Conn     net.Conn
	Services *services.Services
}

// Loop runs one task.
func (h *Handler) Loop() {
	buf := make([]byte, 256)
	n, _ := h.Conn.Read(buf)
	out, _ := h.Services.Terminal.Run(string(buf[:n]))
	h.Conn.Write(out)
}
