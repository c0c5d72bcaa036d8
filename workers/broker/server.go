package broker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// ErrInsecureListen is returned when the embedded server is asked to listen beyond loopback
// without authentication: anyone who can reach the port could read the source under review.
var ErrInsecureListen = errors.New("broker: refusing to listen on a non-loopback address without authentication (set a token or a user and password)")

// ErrServerOptions is wrapped by every other problem with ServerOptions.
var ErrServerOptions = errors.New("broker: invalid embedded server options")

// ServerOptions configure the embedded NATS server.
type ServerOptions struct {
	// StoreDir is where JetStream keeps its streams (jobs, results, blobs, the result cache).
	StoreDir string
	// Listen is "" for no network listener at all (in-process connections only), or a
	// host:port for outside workers to join. Port 0 picks a free port.
	Listen string
	// Token, or User and Password, are the credentials every client (in-process ones too)
	// must present. Required when Listen is not a loopback address.
	Token, User, Password string
	// TLSCert and TLSKey, when set, make the listener require TLS.
	TLSCert, TLSKey string
}

// Server is a running embedded NATS server with JetStream.
type Server struct {
	srv  *server.Server
	opts ServerOptions
}

// Start validates opts and starts the server, returning once it accepts connections.
func Start(opts ServerOptions) (*Server, error) {
	sopts, err := opts.serverOptions()
	if err != nil {
		return nil, err
	}
	srv, err := server.NewServer(sopts)
	if err != nil {
		return nil, fmt.Errorf("broker: embedded server: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("broker: embedded server did not become ready in 30s")
	}
	return &Server{srv: srv, opts: opts}, nil
}

// Validate checks the options without starting anything.
func (o ServerOptions) Validate() error {
	_, err := o.serverOptions()
	return err
}

func (o ServerOptions) serverOptions() (*server.Options, error) {
	if o.StoreDir == "" {
		return nil, fmt.Errorf("%w: no store directory", ErrServerOptions)
	}
	if o.Token != "" && (o.User != "" || o.Password != "") {
		return nil, fmt.Errorf("%w: use a token or a user and password, not both", ErrServerOptions)
	}
	if (o.User == "") != (o.Password == "") {
		return nil, fmt.Errorf("%w: a listen user needs a password and a password a user", ErrServerOptions)
	}
	if (o.TLSCert == "") != (o.TLSKey == "") {
		return nil, fmt.Errorf("%w: a TLS certificate needs its key and a key its certificate", ErrServerOptions)
	}
	s := &server.Options{
		ServerName: "glassbox-embedded",
		JetStream:  true,
		StoreDir:   o.StoreDir,
		NoSigs:     true,
		NoLog:      true,
		// Per-file results with the taint engine's summaries run to megabytes; messages
		// up to 8 MiB (NATS's advised ceiling) carry most of them inline instead of
		// through the object store. A deployment named by --nats keeps its own limit.
		MaxPayload: 8 << 20,
		DontListen: o.Listen == "",
		// The server picks no port unless asked to listen.
		Port: server.RANDOM_PORT,
	}
	if o.Listen != "" {
		host, port, err := splitListen(o.Listen)
		if err != nil {
			return nil, err
		}
		loop, err := isLoopback(host)
		if err != nil {
			return nil, err
		}
		if !loop && o.Token == "" && o.User == "" {
			return nil, ErrInsecureListen
		}
		s.Host, s.Port = host, port
		if port == 0 {
			s.Port = server.RANDOM_PORT
		}
	}
	s.Authorization, s.Username, s.Password = o.Token, o.User, o.Password
	if o.TLSCert != "" {
		tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: o.TLSCert, KeyFile: o.TLSKey})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrServerOptions, err)
		}
		s.TLSConfig, s.TLS = tc, true
	}
	return s, nil
}

func splitListen(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%w: listen address %q: want host:port such as 127.0.0.1:4222", ErrServerOptions, addr)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("%w: listen address %q: bad port", ErrServerOptions, addr)
	}
	return host, port, nil
}

// isLoopback reports whether every address host stands for is a loopback one. An empty
// host means every interface, which is not loopback.
func isLoopback(host string) (bool, error) {
	if host == "" {
		return false, nil
	}
	if host == "localhost" {
		return true, nil
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback(), nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil || len(addrs) == 0 {
		return false, fmt.Errorf("%w: listen host %q does not resolve", ErrServerOptions, host)
	}
	for _, a := range addrs {
		if !a.IP.IsLoopback() {
			return false, nil
		}
	}
	return true, nil
}

// Connect opens an in-process connection (no socket) with the server's own credentials.
func (s *Server) Connect(name string, extra ...nats.Option) (*nats.Conn, error) {
	opts := []nats.Option{nats.InProcessServer(s.srv), nats.Name(name)}
	switch {
	case s.opts.Token != "":
		opts = append(opts, nats.Token(s.opts.Token))
	case s.opts.User != "":
		opts = append(opts, nats.UserInfo(s.opts.User, s.opts.Password))
	}
	nc, err := nats.Connect("", append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("broker: in-process connection: %w", err)
	}
	return nc, nil
}

// ClientURL is the URL outside workers use, or "" when the server does not listen.
func (s *Server) ClientURL() string {
	if s.opts.Listen == "" {
		return ""
	}
	return s.srv.ClientURL()
}

// Shutdown stops the server and waits until it has let go of its store.
func (s *Server) Shutdown() {
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
}
