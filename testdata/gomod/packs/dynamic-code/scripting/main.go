// Annotated samples for the dynamic-code pack (Go): an agent whose behaviour is scripted
// from the server — JavaScript, Lua, expressions and templates fetched over the network.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"text/template"

	"github.com/dop251/goja"
	"github.com/expr-lang/expr"
	"github.com/robertkrimen/otto"
	"github.com/traefik/yaegi/interp"
	lua "github.com/yuin/gopher-lua"
)

const policyURL = "https://policy.example-edr.com/v1/"

type Engine struct {
	vm     *goja.Runtime
	client *http.Client
}

// Policy fetches a JavaScript policy and runs it.
func (e *Engine) Policy() error {
	resp, err := e.client.Get(policyURL + "policy.js")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	src, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	_, err = e.vm.RunString(string(src)) // want "dynamic-code/interpreter-from-network"
	return err
}

// Builtins runs the engine's own constant prelude.
func (e *Engine) Builtins() {
	e.vm.RunString(`var version = "2.3"; function log(m) { console.log(m) }`) // ok: a constant script
}

// OnEvent hands an event from the console to a fixed handler of the local policy.
func (e *Engine) OnEvent(conn net.Conn) error {
	var ev map[string]any
	if err := json.NewDecoder(conn).Decode(&ev); err != nil {
		return err
	}
	e.vm.Set("event", ev)
	_, err := e.vm.RunString("onEvent(event)") // ok: the script is constant; the event is only data
	return err
}

// LocalRules runs a script from the installation directory.
func (e *Engine) LocalRules() error {
	src, err := os.ReadFile(`C:\Program Files\Vendor\rules\local.js`)
	if err != nil {
		return err
	}
	_, err = e.vm.RunString(string(src)) // ok: a local file, not network input
	return err
}

// luaTask reads a Lua chunk from the task socket.
func luaTask(L *lua.LState, conn net.Conn) error {
	r := bufio.NewReader(conn)
	chunk, err := r.ReadString(0)
	if err != nil {
		return err
	}
	return L.DoString(chunk) // want "dynamic-code/interpreter-from-network"
}

// filterExpr evaluates a detection expression posted by the console.
func filterExpr(conn net.Conn, event map[string]any) (any, error) {
	buf := make([]byte, 4096)
	n, err := conn.Read(buf)
	if err != nil {
		return nil, err
	}
	return expr.Eval(string(buf[:n]), event) // want "dynamic-code/interpreter-from-network"
}

// reportTemplate parses a report template from the server into a typed template.
func reportTemplate(data any) (string, error) {
	resp, err := http.Get(policyURL + "report.tmpl")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var t *template.Template = template.New("report")
	if _, err := t.Parse(string(body)); err != nil { // want "dynamic-code/interpreter-from-network"
		return "", err
	}
	var out bytes.Buffer
	err = t.Execute(&out, data)
	return out.String(), err
}

// chainedTemplate parses in one expression.
func chainedTemplate() (*template.Template, error) {
	resp, err := http.Get(policyURL + "alert.tmpl")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return template.New("alert").Parse(string(body)) // want "dynamic-code/interpreter-from-network"
}

// ottoHook runs JavaScript with otto; the VM comes from otto.New.
func ottoHook() {
	resp, err := http.Get(policyURL + "hook.js")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	src, _ := io.ReadAll(resp.Body)
	vm := otto.New()
	vm.Run(string(src)) // want "dynamic-code/interpreter-from-network"
}

// goPatch evaluates Go source from the server with yaegi.
func goPatch(conn net.Conn) {
	src, _ := io.ReadAll(conn)
	i := interp.New(interp.Options{})
	if _, err := i.Eval(string(src)); err != nil { // want "dynamic-code/interpreter-from-network"
		log.Println(err)
	}
}

// constExpr evaluates a fixed expression against an event that came from the network:
// the program is constant, only its input is remote.
func constExpr(conn net.Conn) (any, error) {
	var env map[string]any
	data, _ := io.ReadAll(conn)
	if err := json.Unmarshal(data, &env); err != nil {
		return nil, err
	}
	return expr.Eval(`severity > 3 && process != "explorer.exe"`, env)
}

func main() {
	e := &Engine{vm: goja.New(), client: &http.Client{}}
	e.Builtins()
	e.LocalRules()
	e.Policy()
	conn, err := net.Dial("tcp", "console.example-edr.com:9000")
	if err != nil {
		return
	}
	L := lua.NewState()
	defer L.Close()
	e.OnEvent(conn)
	luaTask(L, conn)
	filterExpr(conn, map[string]any{"severity": 4})
	reportTemplate(nil)
	chainedTemplate()
	ottoHook()
	goPatch(conn)
	constExpr(conn)
}
