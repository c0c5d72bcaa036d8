// Package process stands in for github.com/shirou/gopsutil/v3/process, vendored for the
// typed samples.
package process

type Process struct{ Pid int32 }

func Processes() ([]*Process, error) { return nil, nil }

func (p *Process) Name() (string, error) { return "", nil }

func (p *Process) Cmdline() (string, error) { return "", nil }

func (p *Process) Exe() (string, error) { return "", nil }
