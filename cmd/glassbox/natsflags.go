package main

import (
	"errors"
	"flag"
	"os"
	"slices"
	"strings"

	"glassbox/workers/broker"
)

// clientFlags are how `scan --nats` and `worker` reach a NATS deployment. Secrets may come
// from the environment instead of the command line, where other users could read them in
// the process list.
type clientFlags struct {
	url  string
	opts broker.ClientOptions
}

// Environment variables that stand in for secret flags left empty.
const (
	envNATSPassword   = "GLASSBOX_NATS_PASSWORD"
	envNATSToken      = "GLASSBOX_NATS_TOKEN"
	envListenToken    = "GLASSBOX_LISTEN_TOKEN"
	envListenPassword = "GLASSBOX_LISTEN_PASSWORD"
)

// secretFlags are the flags whose values never reach a report or a log.
var secretFlags = []string{"nats-password", "nats-token", "listen-password", "listen-token"}

func (c *clientFlags) register(fs *flag.FlagSet, urlHelp string) {
	fs.StringVar(&c.url, "nats", "", urlHelp)
	fs.StringVar(&c.opts.User, "nats-user", "", "NATS user name (with --nats-password)")
	fs.StringVar(&c.opts.Password, "nats-password", "", "NATS password (default $"+envNATSPassword+")")
	fs.StringVar(&c.opts.Token, "nats-token", "", "NATS authorization token (default $"+envNATSToken+")")
	fs.StringVar(&c.opts.NKeyFile, "nats-nkey", "", "authenticate with the nkey seed in `FILE`")
	fs.StringVar(&c.opts.CredsFile, "nats-creds", "", "authenticate with the NATS credentials `FILE` (JWT and seed)")
	fs.StringVar(&c.opts.TLSCA, "nats-tls-ca", "", "trust the server certificates signed by the CA in `FILE` (PEM)")
	fs.StringVar(&c.opts.TLSCert, "nats-tls-cert", "", "present the client certificate in `FILE` (PEM; with --nats-tls-key)")
	fs.StringVar(&c.opts.TLSKey, "nats-tls-key", "", "the client certificate's key `FILE` (PEM)")
}

// resolve fills secrets from the environment and validates the options.
func (c *clientFlags) resolve() error {
	if c.opts.Password == "" && c.opts.User != "" {
		c.opts.Password = os.Getenv(envNATSPassword)
	}
	if c.opts.Token == "" && !c.opts.Authenticated() {
		c.opts.Token = os.Getenv(envNATSToken)
	}
	return c.opts.Validate()
}

// anySet reports whether a client option other than --nats was given.
func (c *clientFlags) anySet() bool { return c.opts != broker.ClientOptions{} }

// listenFlags configure the embedded server of `glassbox scan` when outside workers join.
type listenFlags struct {
	addr                  string
	token, user, password string
	tlsCert, tlsKey       string
}

func (l *listenFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.addr, "listen", "", "let outside workers join the embedded server at `ADDR` (host:port; a non-loopback address needs --listen-token or --listen-user)")
	fs.StringVar(&l.token, "listen-token", "", "token workers must present to the embedded server (default $"+envListenToken+")")
	fs.StringVar(&l.user, "listen-user", "", "user workers must present to the embedded server (with --listen-password)")
	fs.StringVar(&l.password, "listen-password", "", "password for --listen-user (default $"+envListenPassword+")")
	fs.StringVar(&l.tlsCert, "listen-tls-cert", "", "serve TLS on --listen with the certificate in `FILE` (PEM)")
	fs.StringVar(&l.tlsKey, "listen-tls-key", "", "the --listen-tls-cert key `FILE` (PEM)")
}

func (l *listenFlags) resolve() {
	if l.addr == "" {
		return
	}
	if l.token == "" && l.user == "" {
		l.token = os.Getenv(envListenToken)
	}
	if l.password == "" && l.user != "" {
		l.password = os.Getenv(envListenPassword)
	}
}

func (l *listenFlags) anySet() bool { return *l != listenFlags{} }

func (l *listenFlags) server(storeDir string) broker.ServerOptions {
	return broker.ServerOptions{StoreDir: storeDir, Listen: l.addr, Token: l.token, User: l.user, Password: l.password,
		TLSCert: l.tlsCert, TLSKey: l.tlsKey}
}

var errNeedsListen = errors.New("--listen-token, --listen-user, --listen-password and --listen-tls-* configure --listen; give --listen too")

// redact replaces the values of secret flags in a command line, which is copied into
// reports.
func redact(args []string) []string {
	out := slices.Clone(args)
	for i := 0; i < len(out); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(out[i], "-"), "=")
		if !strings.HasPrefix(out[i], "-") || !slices.Contains(secretFlags, name) {
			continue
		}
		switch {
		case hasValue:
			out[i] = out[i][:len(out[i])-len(value)] + "REDACTED"
		case i+1 < len(out):
			out[i+1] = "REDACTED"
			i++
		}
	}
	return out
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
