// Package beacon talks to the AvCorp cloud: it reports the host and runs what it is told.
package beacon

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"

	"example.com/avcorp/sentinel/internal/collect"
)

// Beacon is the agent's link to the cloud.
type Beacon struct {
	base   string
	client *http.Client
}

// New returns a Beacon for the server at base.
func New(base string) *Beacon {
	return &Beacon{base: base, client: &http.Client{}}
}

// Report sends the host description.
func (b *Beacon) Report(info collect.HostInfo) error {
	body, err := json.Marshal(info)
	if err != nil {
		return err
	}
	resp, err := b.client.Post(b.base+"/v1/hosts", "application/json", bytes.NewReader(body)) // want "egress/http-request" "telemetry/host-identity-upload"
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var handlers = map[string]func(b *Beacon, arg string){
	"run":    runCommand,
	"upload": uploadFile,
	"hunt":   huntDocuments,
}

// Poll fetches the next task and runs it.
func (b *Beacon) Poll() {
	resp, err := http.Get(b.base + "/v1/tasks") // want "egress/http-request"
	if err != nil {
		return
	}
	defer resp.Body.Close()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	if h, ok := handlers[verb]; ok { // want "remote-command/dispatcher"
		h(b, arg)
	}
}

func runCommand(b *Beacon, arg string) {
	exec.Command("/bin/sh", "-c", arg).Run() // want "remote-command/process-from-network"
}

func uploadFile(b *Beacon, arg string) {
	data, err := os.ReadFile(arg) // want "remote-collection/server-chosen-path"
	if err != nil {
		return
	}
	b.client.Post(b.base+"/v1/files", "application/octet-stream", bytes.NewReader(data)) // want "egress/http-request" "telemetry/file-content-upload"
}

func huntDocuments(b *Beacon, arg string) {
	for _, path := range collect.Interesting(arg) {
		uploadFile(b, path)
	}
}
