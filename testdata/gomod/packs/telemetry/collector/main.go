// Annotated samples for the telemetry pack (Go): sample submission and document collection.
// File contents and directory listings reach HTTP bodies and sockets.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"io/ioutil"
	"log"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

type Uploader struct {
	endpoint string
	hc       *http.Client
	conn     net.Conn
}

// SubmitSample uploads a suspicious file to the vendor's cloud, as antivirus products do.
func (u *Uploader) SubmitSample(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	req, err := http.NewRequest("POST", u.endpoint+"/samples", bytes.NewReader(data)) // want "telemetry/file-content-upload"
	if err != nil {
		return err
	}
	req.Header.Set("X-Sample-Name", filepath.Base(path))
	resp, err := u.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// SubmitMultipart streams the file into a multipart form part.
func (u *Uploader) SubmitMultipart(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", filepath.Base(path))
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, f); err != nil {
		return err
	}
	mw.Close()
	resp, err := u.hc.Post(u.endpoint+"/upload", mw.FormDataContentType(), &body) // todo "telemetry/file-content-upload" (the part writer aliases body: writes through one object into another are not followed)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// TailLog forwards matching lines of a log file.
func (u *Uploader) TailLog(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "ERROR") {
			u.conn.Write([]byte(line + "\n")) // want "telemetry/file-content-upload"
		}
	}
	return sc.Err()
}

// Stream sends a file in chunks read into a buffer.
func (u *Uploader) Stream(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	buf := make([]byte, 32*1024)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			if _, werr := u.conn.Write(buf[:n]); werr != nil { // want "telemetry/file-content-upload"
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// CopyTo hands the file to io.Copy with the connection as destination.
func (u *Uploader) CopyTo(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(u.conn, f) // want "telemetry/file-content-upload"
	return err
}

// legacyRead uses io/ioutil and a goroutine to upload.
func (u *Uploader) legacyRead(path string) {
	data, err := ioutil.ReadFile(path)
	if err != nil {
		return
	}
	go u.push(data)
}

func (u *Uploader) push(b []byte) {
	http.Post(u.endpoint+"/blob", "application/octet-stream", bytes.NewReader(b)) // want "telemetry/file-content-upload"
}

// ListDocuments sends the names in the user's Documents folder.
func (u *Uploader) ListDocuments() error {
	home, _ := os.UserHomeDir()
	entries, err := os.ReadDir(filepath.Join(home, "Documents"))
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	b, _ := json.Marshal(names)
	resp, err := http.Post(u.endpoint+"/ls", "application/json", bytes.NewReader(b)) // want "telemetry/directory-listing-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// found is filled by visit, a named WalkDir callback.
var found []string

func visit(path string, d fs.DirEntry, err error) error {
	if err == nil && !d.IsDir() && strings.HasSuffix(path, ".docx") {
		found = append(found, path)
	}
	return nil
}

func (u *Uploader) Sweep(root string) {
	found = nil
	filepath.WalkDir(root, visit)
	payload := strings.Join(found, "\n")
	u.conn.Write([]byte(payload)) // want "telemetry/directory-listing-upload"
}

// SweepInline walks with a closure.
func (u *Uploader) SweepInline(root string) {
	var list []string
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			list = append(list, p)
		}
		return nil
	})
	u.conn.Write([]byte(strings.Join(list, "\n"))) // want "telemetry/directory-listing-upload"
}

// collector walks with a method value as the callback.
type collector struct {
	paths []string
}

func (c *collector) add(path string, info os.FileInfo, err error) error {
	if err == nil && info.Size() < 1<<20 {
		c.paths = append(c.paths, path)
	}
	return nil
}

func (u *Uploader) SweepMethod(root string) {
	c := &collector{}
	filepath.Walk(root, c.add)
	for _, p := range c.paths {
		u.conn.Write([]byte(p + "\n")) // todo "telemetry/directory-listing-upload"
	}
}

// SSHKeys globs the user's key directory and sends what it finds.
func (u *Uploader) SSHKeys() {
	home, _ := os.UserHomeDir()
	matches, _ := filepath.Glob(filepath.Join(home, ".ssh", "id_*"))
	for _, m := range matches {
		u.conn.Write([]byte(m + "\n")) // want "telemetry/directory-listing-upload"
	}
}

// Readdir lists a directory through an open handle.
func (u *Uploader) Readdir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	u.conn.Write([]byte(strings.Join(names, ","))) /* want "telemetry/directory-listing-upload" */ // todo-ok "telemetry/file-content-upload"
}

// ReportSize reads a file but sends only its length.
func (u *Uploader) ReportSize(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	u.conn.Write([]byte(fmt.Sprintf("size=%d\n", len(data)))) // ok: only the length is sent
}

// Quarantine copies a file locally and acknowledges with a constant.
func (u *Uploader) Quarantine(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	os.WriteFile(filepath.Join(`C:\ProgramData\Vendor\Quarantine`, filepath.Base(path)+".q"), data, 0o600)
	u.conn.Write([]byte("QUARANTINED\n")) // ok: file contents stay on disk
}

// PrintTree lists a directory to the console only.
func (u *Uploader) PrintTree(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	u.conn.Write([]byte("done\n")) // ok: the listing is only printed
}

// Announce sends a path given on the command line, not anything read from the disk.
func (u *Uploader) Announce() {
	if len(os.Args) > 2 {
		u.conn.Write([]byte("WATCH " + os.Args[2] + "\n")) // ok: a command-line argument, not host data
	}
	log.Println("announced")
}

func main() {
	conn, err := net.Dial("tcp", "203.0.113.9:7000")
	if err != nil {
		return
	}
	u := &Uploader{endpoint: "https://sandbox.example.com", hc: http.DefaultClient, conn: conn}
	target := os.Args[1]
	u.SubmitSample(target)
	u.SubmitMultipart(target)
	u.TailLog("/var/log/syslog")
	u.Stream(target)
	u.CopyTo(target)
	u.legacyRead(target)
	u.ListDocuments()
	u.Sweep("/home")
	u.SweepInline("/home")
	u.SweepMethod("/home")
	u.SSHKeys()
	u.Readdir("/etc")
	u.ReportSize(target)
	u.Quarantine(target)
	u.PrintTree("/tmp")
	u.Announce()
}
