//go:build !js

package browsertest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// Server is an HTTP server on 127.0.0.1 for one test.
type Server struct {
	// URL is the base URL, such as http://127.0.0.1:41234, without a
	// trailing slash.
	URL string

	srv *http.Server
}

// Serve starts serving h on a free port of 127.0.0.1 and stops when the test
// ends.
func Serve(tb testing.TB, h http.Handler) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("browsertest: listening on 127.0.0.1: %v", err)
	}
	s := &Server{
		URL: "http://" + ln.Addr().String(),
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
	}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			tb.Errorf("browsertest: serving %s: %v", s.URL, err)
		}
	}()
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and closes its open connections, so that later
// requests from the browser fail. It is safe to call more than once.
func (s *Server) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
}

// Delayed wraps h so that it responds after delay, and not at all to a
// request cancelled before then. A test uses it to hold back a page's load
// event, because Firefox's --screenshot captures the page when that event
// fires.
func Delayed(h http.Handler, delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		h.ServeHTTP(w, r)
	})
}
