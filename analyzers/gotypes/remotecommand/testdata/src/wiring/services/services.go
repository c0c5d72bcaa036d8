// Package services declares what the handler needs, not who provides it.
package services

// Terminal runs shell commands.
type Terminal interface {
	Run(command string) ([]byte, error)
}

// Services are the implementations the agent is wired with.
type Services struct {
	Terminal Terminal
}
