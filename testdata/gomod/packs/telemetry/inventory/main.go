// Annotated samples for the telemetry pack (Go): an endpoint agent's inventory report —
// running processes (gopsutil, go-ps), registry values (x/sys/windows/registry) and the
// environment.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/mitchellh/go-ps"
	"github.com/shirou/gopsutil/v3/process"
	"golang.org/x/sys/windows/registry"
)

type Reporter struct {
	conn net.Conn
	hc   *http.Client
	url  string
}

type procInfo struct {
	PID     int32  `json:"pid"`
	Name    string `json:"name"`
	Cmdline string `json:"cmdline"`
}

// Processes posts every process with its command line.
func (r *Reporter) Processes() error {
	procs, err := process.Processes()
	if err != nil {
		return err
	}
	var list []procInfo
	for _, p := range procs {
		name, _ := p.Name()
		cmd, _ := p.Cmdline()
		list = append(list, procInfo{PID: p.Pid, Name: name, Cmdline: cmd})
	}
	b, _ := json.Marshal(list)
	resp, err := r.hc.Post(r.url+"/procs", "application/json", bytes.NewReader(b)) // want "telemetry/process-list-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// SecurityProducts reports which security products run.
func (r *Reporter) SecurityProducts() {
	procs, _ := ps.Processes()
	var sb strings.Builder
	for _, p := range procs {
		exe := strings.ToLower(p.Executable())
		switch exe {
		case "msmpeng.exe", "csfalconservice.exe", "sentinelagent.exe":
			fmt.Fprintf(&sb, "%s:%d;", exe, p.Pid())
		}
	}
	r.conn.Write([]byte("AV " + sb.String() + "\n")) // want "telemetry/process-list-upload"
}

// topProcess sends one process name found by a helper.
func topProcess() string {
	procs, err := ps.Processes()
	if err != nil || len(procs) == 0 {
		return ""
	}
	return procs[0].Executable()
}

func (r *Reporter) Top() {
	name := topProcess()
	r.conn.Write([]byte("TOP " + name + "\n")) // want "telemetry/process-list-upload"
}

// Watch reports new processes from a goroutine: names travel over a channel and are
// batched in a bytes.Buffer.
func (r *Reporter) Watch() {
	seen := map[int32]bool{}
	names := make(chan string, 64)
	go r.batch(names)
	procs, _ := process.Processes()
	for _, p := range procs {
		if !seen[p.Pid] {
			seen[p.Pid] = true
			exe, _ := p.Exe()
			names <- exe
		}
	}
	close(names)
}

func (r *Reporter) batch(names <-chan string) {
	var buf bytes.Buffer
	for n := range names {
		buf.WriteString(n)
		buf.WriteByte('\n')
	}
	r.hc.Post(r.url+"/new-procs", "text/plain", &buf) // want "telemetry/process-list-upload"
}

// Count reports only how many processes run.
func (r *Reporter) Count() {
	procs, _ := process.Processes()
	r.conn.Write([]byte("NPROC " + strconv.Itoa(len(procs)) + "\n")) // ok: only the number of processes is sent
}

// LocalTop prints processes to the console only.
func (r *Reporter) LocalTop() {
	procs, _ := ps.Processes()
	for _, p := range procs {
		log.Printf("%6d %s", p.Pid(), p.Executable())
	}
	r.conn.Write([]byte("LISTED\n")) // ok: the list is only logged
}

// productInfo reads identifiers from a key it is given (a typed parameter).
func productInfo(k registry.Key) (string, string) {
	name, _, _ := k.GetStringValue("ProductName")
	guid, _, _ := k.GetStringValue("MachineGuid")
	return name, guid
}

func (r *Reporter) OSInfo() error {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`, registry.QUERY_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	name, guid := productInfo(k)
	_, err = r.conn.Write([]byte(fmt.Sprintf("OS %q GUID %s\n", name, guid))) // want "telemetry/registry-upload"
	return err
}

// proxySettings reads the user's proxy configuration through a typed key.
func proxySettings(k registry.Key) map[string]string {
	out := map[string]string{}
	names, _ := k.ReadValueNames(0)
	for _, n := range names {
		if v, _, err := k.GetStringValue(n); err == nil {
			out[n] = v
		}
	}
	return out
}

func (r *Reporter) Proxy() {
	var k registry.Key
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Internet Settings`, registry.READ)
	if err != nil {
		return
	}
	defer k.Close()
	enabled, _, _ := k.GetIntegerValue("ProxyEnable")
	b, _ := json.Marshal(map[string]any{"enabled": enabled, "values": proxySettings(k)})
	r.hc.Post(r.url+"/proxy", "application/json", bytes.NewReader(b)) // want "telemetry/registry-upload"
}

// InstalledSoftware enumerates the uninstall key through the handle registry.OpenKey returns.
func (r *Reporter) InstalledSoftware() error {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`,
		registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return err
	}
	defer k.Close()
	names, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(names)
	resp, err := r.hc.Post(r.url+"/software", "application/json", bytes.NewReader(b)) // want "telemetry/registry-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Verbosity reads a registry value that only configures local logging.
func (r *Reporter) Verbosity(k registry.Key) {
	level, _, err := k.GetIntegerValue("LogLevel")
	if err == nil && level > 2 {
		log.SetFlags(log.LstdFlags | log.Lshortfile)
	}
	r.conn.Write([]byte("CONFIG loaded\n")) // ok: the registry value stays local
}

// Environment sends the whole environment block.
func (r *Reporter) Environment() {
	env := os.Environ()
	b, _ := json.Marshal(map[string]any{"env": env, "pid": os.Getpid()})
	r.hc.Post(r.url+"/env", "application/json", bytes.NewReader(b)) // want "telemetry/environment-upload"
}

// Paths sends a few folders taken from the environment.
func (r *Reporter) Paths() {
	for _, name := range []string{"APPDATA", "LOCALAPPDATA", "TEMP"} {
		v, ok := os.LookupEnv(name)
		if !ok {
			continue
		}
		fmt.Fprintf(r.conn, "%s=%s\n", name, v) // want "telemetry/environment-upload"
	}
}

func main() {
	conn, err := net.Dial("tcp", "inventory.example.com:9443")
	if err != nil {
		return
	}
	r := &Reporter{conn: conn, hc: &http.Client{}, url: "https://inventory.example.com/v2"}
	r.Processes()
	r.SecurityProducts()
	r.Top()
	r.Watch()
	r.Proxy()
	r.Count()
	r.LocalTop()
	r.OSInfo()
	r.InstalledSoftware()
	r.Environment()
	r.Paths()
}
