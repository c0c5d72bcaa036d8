// Command sentinel is the AvCorp Sentinel agent for Linux servers, Go edition.
package main

import (
	"log"
	"os"
	"time"

	"example.com/avcorp/sentinel/internal/beacon"
	"example.com/avcorp/sentinel/internal/collect"
)

func main() {
	b := beacon.New("https://telemetry.avcorp-cloud.net") // want "egress/hardcoded-url"
	info := collect.Host()
	if err := b.Report(info); err != nil {
		log.Printf("report failed: %v", err)
	}
	if len(os.Args) > 1 && os.Args[1] == "--once" {
		return
	}
	for {
		b.Poll()
		time.Sleep(time.Minute)
	}
}
