// Package smtptest runs a real SMTP server in-process on loopback for tests
// (github.com/emersion/go-smtp): STARTTLS with a throw-away certificate,
// optional PLAIN authentication, and every accepted message kept for the
// test to read. It can be stopped and started again on the same port to
// play a mail server that is down for a while.
package smtptest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte
}

// Server is the test mail server.
type Server struct {
	Addr string // 127.0.0.1:port, the same after Stop and Start
	// RootCAs trusts the server's certificate (for the client's TLS config).
	RootCAs *x509.CertPool
	user    string
	pass    string

	mu       sync.Mutex
	srv      *smtp.Server
	ln       net.Listener // srv's, closed by Stop itself (see there)
	tlsCfg   *tls.Config
	received []Received
	refuse   map[string]bool // recipients refused with 550
}

// Options configure the server. With User set, clients must log in with
// PLAIN (after STARTTLS).
type Options struct {
	User, Password string
}

// Start runs a server on a free loopback port.
func Start(opts Options) (*Server, error) {
	cert, pool, err := selfSigned()
	if err != nil {
		return nil, err
	}
	s := &Server{RootCAs: pool, user: opts.User, pass: opts.Password, refuse: map[string]bool{},
		tlsCfg: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.Addr = ln.Addr().String()
	s.serve(ln)
	return s, nil
}

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.TLSConfig = s.tlsCfg
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxRecipients = 10
	srv.MaxMessageBytes = 1 << 20
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// Stop closes the server: connections are refused until Start. It closes
// the listener itself too: go-smtp's Close closes only the listeners its
// Serve has taken up, and a Stop right after the start could come before
// the goroutine running Serve did, which then went on serving.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
		_ = ln.Close()
	}
}

// Restart listens again on the same address.
func (s *Server) Restart() error {
	var ln net.Listener
	var err error
	for range 50 { // the old socket may need a moment to go
		if ln, err = net.Listen("tcp", s.Addr); err == nil {
			s.serve(ln)
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("smtptest: listen again on %s: %w", s.Addr, err)
}

// Close stops the server for good.
func (s *Server) Close() { s.Stop() }

// Port is the server's port.
func (s *Server) Port() int { return s.Addr2().Port }

// Addr2 is Addr as a *net.TCPAddr.
func (s *Server) Addr2() *net.TCPAddr {
	a, _ := net.ResolveTCPAddr("tcp", s.Addr)
	return a
}

// Refuse makes the server answer RCPT TO addr with 550.
func (s *Server) Refuse(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[addr] = true
}

// Messages returns what the server accepted so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// WaitFor waits until the server holds n messages or ctx ends.
func (s *Server) WaitFor(ctx context.Context, n int) ([]Received, error) {
	for {
		if m := s.Messages(); len(m) >= n {
			return m, nil
		}
		select {
		case <-ctx.Done():
			return s.Messages(), fmt.Errorf("smtptest: %d of %d messages: %w", len(s.Messages()), n, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string {
	if x.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != x.s.user || pass != x.s.pass {
			return errors.New("invalid credentials")
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.user != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	refused := x.s.refuse[to]
	x.s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	x.s.mu.Lock()
	x.s.received = append(x.s.received, Received{From: x.from, To: append([]string(nil), x.to...), Data: b.Bytes()})
	x.s.mu.Unlock()
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
