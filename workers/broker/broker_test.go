package broker

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

func TestListenNeedsAuthBeyondLoopback(t *testing.T) {
	tests := []struct {
		listen, token string
		wantErr       error
	}{
		{"127.0.0.1:0", "", nil},
		{"localhost:0", "", nil},
		{"[::1]:0", "", nil},
		{"0.0.0.0:4222", "", ErrInsecureListen},
		{":4222", "", ErrInsecureListen},
		{"[::]:4222", "", ErrInsecureListen},
		{"192.0.2.10:4222", "", ErrInsecureListen},
		{"0.0.0.0:4222", "s3cret", nil},
		{"127.0.0.1", "", ErrServerOptions},
		{"127.0.0.1:99999", "", ErrServerOptions},
	}
	for _, tc := range tests {
		err := ServerOptions{StoreDir: "x", Listen: tc.listen, Token: tc.token}.Validate()
		if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
			t.Errorf("Listen %q token %q: err %v, want %v", tc.listen, tc.token, err, tc.wantErr)
		}
	}
}

func TestServerOptionsConsistency(t *testing.T) {
	tests := []ServerOptions{
		{},
		{StoreDir: "x", Token: "t", User: "u", Password: "p"},
		{StoreDir: "x", User: "u"},
		{StoreDir: "x", Password: "p"},
		{StoreDir: "x", TLSCert: "c"},
	}
	for _, o := range tests {
		if err := o.Validate(); !errors.Is(err, ErrServerOptions) {
			t.Errorf("%+v: err %v, want ErrServerOptions", o, err)
		}
	}
}

func TestClientOptionsValidate(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "f")
	os.WriteFile(existing, []byte("x"), 0o600)
	tests := []struct {
		name string
		o    ClientOptions
		ok   bool
	}{
		{"none", ClientOptions{}, true},
		{"user", ClientOptions{User: "u", Password: "p"}, true},
		{"token", ClientOptions{Token: "t"}, true},
		{"two kinds", ClientOptions{Token: "t", User: "u"}, false},
		{"password alone", ClientOptions{Password: "p"}, false},
		{"cert without key", ClientOptions{TLSCert: existing}, false},
		{"missing creds file", ClientOptions{CredsFile: existing + ".nope"}, false},
		{"missing CA", ClientOptions{TLSCA: existing + ".nope"}, false},
		{"creds", ClientOptions{CredsFile: existing}, true},
		{"mutual TLS", ClientOptions{TLSCA: existing, TLSCert: existing, TLSKey: existing}, true},
	}
	for _, tc := range tests {
		err := tc.o.Validate()
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrClientOptions)) {
			t.Errorf("%s: err %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestStoreLockFallsBackToTemporary(t *testing.T) {
	cache := t.TempDir()
	first, busy, err := OpenStore(cache)
	if err != nil || busy || !first.Shared || first.Dir != filepath.Join(cache, "jetstream") {
		t.Fatalf("first store: %+v busy=%v err=%v", first, busy, err)
	}
	second, busy, err := OpenStore(cache)
	if err != nil || !busy || second.Shared || strings.HasPrefix(second.Dir, cache) {
		t.Fatalf("second store while the first is held: %+v busy=%v err=%v", second, busy, err)
	}
	second.Release()
	if _, err := os.Stat(second.Dir); !os.IsNotExist(err) {
		t.Errorf("temporary store %s not removed: %v", second.Dir, err)
	}
	first.Release()
	third, busy, err := OpenStore(cache)
	if err != nil || busy || !third.Shared {
		t.Fatalf("store after release: %+v busy=%v err=%v", third, busy, err)
	}
	third.Release()
}

// TestEmbeddedAuth runs the embedded server listening on loopback with a token: clients
// without it, or with a wrong one, are refused; the in-process connection and a client with
// the token get in.
func TestEmbeddedAuth(t *testing.T) {
	for _, tc := range []struct {
		name   string
		server ServerOptions
		good   ClientOptions
		bad    []ClientOptions
	}{
		{"token", ServerOptions{Token: "s3cret"}, ClientOptions{Token: "s3cret"},
			[]ClientOptions{{}, {Token: "wrong"}, {User: "u", Password: "s3cret"}}},
		{"user", ServerOptions{User: "rev", Password: "pw"}, ClientOptions{User: "rev", Password: "pw"},
			[]ClientOptions{{}, {User: "rev", Password: "nope"}, {Token: "pw"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.server
			opts.StoreDir, opts.Listen = t.TempDir(), "127.0.0.1:0"
			s, err := Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Shutdown)
			nc, err := s.Connect("in-process")
			if err != nil {
				t.Fatalf("in-process connection with the server's credentials: %v", err)
			}
			nc.Close()
			nc, err = Dial(s.ClientURL(), tc.good, "good", noRetry()...)
			if err != nil {
				t.Fatalf("client with the right credentials: %v", err)
			}
			nc.Close()
			for _, bad := range tc.bad {
				nc, err := Dial(s.ClientURL(), bad, "bad", noRetry()...)
				if err == nil {
					nc.Close()
					t.Errorf("client with %+v was let in", bad)
				} else if !strings.Contains(strings.ToLower(err.Error()), "authorization") {
					t.Errorf("client with %+v: %v, want an authorization error", bad, err)
				}
			}
		})
	}
}

// TestNKeyAuth proves --nats-nkey works against a server that knows the user's public key.
func TestNKeyAuth(t *testing.T) {
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := user.PublicKey()
	seed, _ := user.Seed()
	seedFile := filepath.Join(t.TempDir(), "user.nk")
	os.WriteFile(seedFile, seed, 0o600)
	s := testServer(t, &server.Options{Nkeys: []*server.NkeyUser{{Nkey: pub}}})

	nc, err := Dial(s.ClientURL(), ClientOptions{NKeyFile: seedFile}, "nkey", noRetry()...)
	if err != nil {
		t.Fatalf("nkey client refused: %v", err)
	}
	nc.Close()
	if nc, err := Dial(s.ClientURL(), ClientOptions{}, "anon", noRetry()...); err == nil {
		nc.Close()
		t.Error("client without the nkey was let in")
	}
}

// TestTLS starts the embedded server with a certificate from a test CA: a client that
// trusts the CA connects, one that does not is refused, and a server that verifies
// client certificates accepts only a client presenting one.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t)
	ca.issue(t, dir, "server", true)
	ca.issue(t, dir, "client", false)
	caFile := filepath.Join(dir, "ca.pem")
	os.WriteFile(caFile, ca.pem, 0o600)

	s, err := Start(ServerOptions{StoreDir: t.TempDir(), Listen: "127.0.0.1:0",
		TLSCert: filepath.Join(dir, "server.pem"), TLSKey: filepath.Join(dir, "server.key")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Shutdown)
	nc, err := Dial(s.ClientURL(), ClientOptions{TLSCA: caFile}, "tls", noRetry()...)
	if err != nil {
		t.Fatalf("client trusting the CA: %v", err)
	}
	if !nc.TLSRequired() {
		t.Error("connection is not TLS")
	}
	nc.Close()
	if nc, err := Dial(s.ClientURL(), ClientOptions{}, "no-ca", noRetry()...); err == nil {
		nc.Close()
		t.Error("client that does not trust the CA connected")
	}

	tc, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: filepath.Join(dir, "server.pem"),
		KeyFile: filepath.Join(dir, "server.key"), CaFile: caFile, Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	mutual := testServer(t, &server.Options{TLS: true, TLSVerify: true, TLSConfig: tc})
	client := ClientOptions{TLSCA: caFile, TLSCert: filepath.Join(dir, "client.pem"), TLSKey: filepath.Join(dir, "client.key")}
	nc, err = Dial(mutual.ClientURL(), client, "mtls", noRetry()...)
	if err != nil {
		t.Fatalf("client with a certificate: %v", err)
	}
	nc.Close()
	if nc, err := Dial(mutual.ClientURL(), ClientOptions{TLSCA: caFile}, "no-cert", noRetry()...); err == nil {
		nc.Close()
		t.Error("client without a certificate connected to a verifying server")
	}
}

// testServer starts a listening server in the nats-server test style.
func testServer(t *testing.T, o *server.Options) *server.Server {
	t.Helper()
	o.Host, o.Port, o.NoSigs, o.NoLog = "127.0.0.1", -1, true, true
	s, err := server.NewServer(o)
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(s.Shutdown)
	return s
}

type testCA struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
	pem  []byte
}

func newCA(t *testing.T) *testCA {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "glassbox test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{key: key, cert: cert, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue writes name.pem and name.key signed by the CA, for 127.0.0.1 when server is true.
func (ca *testCA) issue(t *testing.T, dir, name string, srv bool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	if srv {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	os.WriteFile(filepath.Join(dir, name+".pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(filepath.Join(dir, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
}

func noRetry() []nats.Option { return []nats.Option{nats.NoReconnect(), nats.Timeout(5 * time.Second)} }
