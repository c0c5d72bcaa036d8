// Package ps stands in for github.com/mitchellh/go-ps, vendored for the typed samples.
package ps

type Process interface {
	Pid() int
	PPid() int
	Executable() string
}

func Processes() ([]Process, error) { return nil, nil }
