package broker

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"
)

// ErrClientOptions is wrapped by every problem with ClientOptions.
var ErrClientOptions = errors.New("broker: invalid NATS client options")

// ClientOptions are how a coordinator or a worker authenticates to a NATS deployment and
// secures the connection. At most one credential kind may be set.
type ClientOptions struct {
	User, Password string // user and password
	Token          string // an authorization token
	NKeyFile       string // a file holding an nkey seed ("SU…")
	CredsFile      string // a decentralised-auth .creds file (JWT and seed)

	TLSCA           string // PEM CA bundle that signs the server's certificate
	TLSCert, TLSKey string // client certificate and key, for servers that verify clients
}

// Validate checks that the options are complete and consistent, and that the files they
// name exist, so that a typo fails before any connection is attempted.
func (o ClientOptions) Validate() error {
	kinds := 0
	for _, set := range []bool{o.User != "" || o.Password != "", o.Token != "", o.NKeyFile != "", o.CredsFile != ""} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds > 1:
		return fmt.Errorf("%w: use one of user/password, token, nkey or creds, not several", ErrClientOptions)
	case o.Password != "" && o.User == "":
		return fmt.Errorf("%w: a password needs a user", ErrClientOptions)
	case (o.TLSCert == "") != (o.TLSKey == ""):
		return fmt.Errorf("%w: a client certificate needs its key and a key its certificate", ErrClientOptions)
	}
	for _, f := range []string{o.NKeyFile, o.CredsFile, o.TLSCA, o.TLSCert, o.TLSKey} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("%w: %w", ErrClientOptions, err)
		}
	}
	return nil
}

// Authenticated reports whether any credential is set.
func (o ClientOptions) Authenticated() bool {
	return o.User != "" || o.Token != "" || o.NKeyFile != "" || o.CredsFile != ""
}

// natsOptions turns the options into nats.go options.
func (o ClientOptions) natsOptions() ([]nats.Option, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	var opts []nats.Option
	switch {
	case o.User != "":
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	case o.Token != "":
		opts = append(opts, nats.Token(o.Token))
	case o.NKeyFile != "":
		opt, err := nats.NkeyOptionFromSeed(o.NKeyFile)
		if err != nil {
			return nil, fmt.Errorf("%w: nkey seed %s: %w", ErrClientOptions, o.NKeyFile, err)
		}
		opts = append(opts, opt)
	case o.CredsFile != "":
		opts = append(opts, nats.UserCredentials(o.CredsFile))
	}
	if o.TLSCA != "" {
		opts = append(opts, nats.RootCAs(o.TLSCA))
	}
	if o.TLSCert != "" {
		opts = append(opts, nats.ClientCert(o.TLSCert, o.TLSKey))
	}
	return opts, nil
}

// Dial connects to the NATS deployment at url. name identifies the client in the server's
// monitoring ("glassbox-worker host:pid"); extra options come last and win. Reconnection
// is the library's default (it retries for a couple of minutes) unless extra says otherwise.
func Dial(url string, o ClientOptions, name string, extra ...nats.Option) (*nats.Conn, error) {
	opts, err := o.natsOptions()
	if err != nil {
		return nil, err
	}
	opts = append(opts, nats.Name(name), nats.Timeout(10*time.Second))
	nc, err := nats.Connect(url, append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("broker: connect to %s: %w", url, err)
	}
	return nc, nil
}
