package a // want package:"hits"

import (
	"io"
	"net"
	"net/http"
	"os"
	"text/template"

	"github.com/dop251/goja"
	"golang.org/x/sys/windows"
)

type Engine struct {
	vm *goja.Runtime
}

// policy fetches a script and runs it.
func (e *Engine) policy(c *http.Client) error {
	resp, err := c.Get("https://policy.example-edr.com/p.js")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	src, _ := io.ReadAll(resp.Body)
	_, err = e.vm.RunString(string(src)) // want "dynamic-code/interpreter-from-network"
	return err
}

// builtins runs a constant prelude.
func (e *Engine) builtins() {
	e.vm.RunString(`var version = "2.3"`) // ok: a constant script
}

// local runs a script from the installation directory.
func (e *Engine) local() {
	src, _ := os.ReadFile("/opt/agent/rules.js")
	e.vm.RunString(string(src)) // ok: a local file
}

// chained parses a template from the network in one expression: the receiver's type is
// known without a variable.
func chained() (*template.Template, error) {
	resp, err := http.Get("https://policy.example-edr.com/alert.tmpl")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return template.New("alert").Parse(string(body)) // want "dynamic-code/interpreter-from-network"
}

// inject writes code read from a socket into another process.
func inject(conn net.Conn, pid uint32) error {
	buf := make([]byte, 64*1024)
	n, err := conn.Read(buf)
	if err != nil {
		return err
	}
	sc := buf[:n]
	h, _ := windows.OpenProcess(windows.PROCESS_ALL_ACCESS, false, pid)
	var written uintptr
	return windows.WriteProcessMemory(h, 0x10000, &sc[0], uintptr(n), &written) // want "dynamic-code/network-bytes-executed"
}

// Evaluator is how scripts reach an interpreter: through an interface.
type Evaluator interface {
	Eval(src string) error
}

type jsEvaluator struct{ vm *goja.Runtime }

func (j *jsEvaluator) Eval(src string) error { // want Eval:"summary"
	_, err := j.vm.RunString(src) // want "dynamic-code/interpreter-from-network"
	return err
}

type logEvaluator struct{}

func (logEvaluator) Eval(src string) error { return nil } // ok: nothing is evaluated

// tasks receives scripts over a connection and hands them to a goroutine over a channel;
// the goroutine evaluates them through the interface.
func tasks(conn net.Conn, ev Evaluator) {
	scripts := make(chan string)
	go func() {
		for src := range scripts {
			ev.Eval(src)
		}
	}()
	buf := make([]byte, 4096)
	n, _ := conn.Read(buf)
	scripts <- string(buf[:n])
}

// methodValue evaluates through a method value kept in a closure.
func methodValue(e *Engine, conn net.Conn) {
	run := e.vm.RunString
	exec := func(s string) { run(s) } // want "dynamic-code/interpreter-from-network"
	buf := make([]byte, 512)
	n, _ := conn.Read(buf)
	exec(string(buf[:n]))
	exec("1 + 1")
}

// embedded writes code compiled into the binary.
var stub = []byte{0x90, 0xc3}

func embedded(h windows.Handle) {
	var written uintptr
	windows.WriteProcessMemory(h, 0x10000, &stub[0], uintptr(len(stub)), &written) // ok: embedded, not received
}
