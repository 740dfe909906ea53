package webserve

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// site writes a small site into a temporary directory and returns it.
func site(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":           "<!doctype html><title>t</title>",
		"main.wasm":            "\x00asm\x01\x00\x00\x00",
		"main.js":              "console.log(1)",
		"style.css":            "body{}",
		"manifest.webmanifest": "{}",
		"icon.svg":             "<svg xmlns='http://www.w3.org/2000/svg'/>",
		"sub/index.html":       "sub",
		".secret":              "hidden",
		"data.bin":             "raw",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func TestHandlerContentTypes(t *testing.T) {
	h := Handler(site(t))
	tests := []struct {
		path, want string
	}{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/main.wasm", "application/wasm"},
		{"/main.js", "text/javascript; charset=utf-8"},
		{"/style.css", "text/css; charset=utf-8"},
		{"/manifest.webmanifest", "application/manifest+json"},
		{"/icon.svg", "image/svg+xml"},
		{"/data.bin", "application/octet-stream"},
	}
	for _, tt := range tests {
		rec := get(t, h, http.MethodGet, tt.path)
		if rec.Code != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", tt.path, rec.Code)
			continue
		}
		if got := rec.Header().Get("Content-Type"); got != tt.want {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestHandlerHeaders(t *testing.T) {
	h := Handler(site(t))
	for _, p := range []string{"/", "/main.wasm", "/missing"} {
		rec := get(t, h, http.MethodGet, p)
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want %q", p, got, "no-cache")
		}
		if got := rec.Header().Get("Content-Security-Policy"); got != ContentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", p, got, ContentSecurityPolicy)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q, want nosniff", p, got)
		}
	}
}

func TestHandlerBody(t *testing.T) {
	h := Handler(site(t))
	rec := get(t, h, http.MethodGet, "/sub/")
	if got := rec.Body.String(); got != "sub" {
		t.Errorf("GET /sub/: body %q, want %q", got, "sub")
	}
	head := get(t, h, http.MethodHead, "/main.wasm")
	if head.Code != http.StatusOK {
		t.Errorf("HEAD /main.wasm: status %d, want 200", head.Code)
	}
	if head.Body.Len() != 0 {
		t.Errorf("HEAD /main.wasm: body of %d bytes, want none", head.Body.Len())
	}
	if got := head.Header().Get("Content-Length"); got != "8" {
		t.Errorf("HEAD /main.wasm: Content-Length %q, want 8", got)
	}
}

func TestHandlerNotFound(t *testing.T) {
	dir := site(t)
	outside := filepath.Join(t.TempDir(), "outside.txt")
	if err := os.WriteFile(outside, []byte("outside"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	h := Handler(dir)
	for _, p := range []string{
		"/missing.js",
		"/.secret",
		"/sub",           // a directory without the slash is not listed
		"/../etc/passwd", // cleaned to /etc/passwd inside the site
		"/link.txt",      // a symbolic link that leaves the site
	} {
		rec := get(t, h, http.MethodGet, p)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, rec.Code)
		}
		if strings.Contains(rec.Body.String(), "outside") {
			t.Errorf("GET %s: served a file outside the site", p)
		}
	}
}

func TestHandlerMethodNotAllowed(t *testing.T) {
	h := Handler(site(t))
	rec := get(t, h, http.MethodPost, "/index.html")
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", rec.Code)
	}
	if got := rec.Header().Get("Allow"); got != "GET, HEAD" {
		t.Errorf("POST: Allow %q, want %q", got, "GET, HEAD")
	}
}

func TestHandlerMissingDir(t *testing.T) {
	h := Handler(filepath.Join(t.TempDir(), "absent"))
	rec := get(t, h, http.MethodGet, "/")
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("GET / from a missing directory: status %d, want 500", rec.Code)
	}
}

func TestHandlerNotModified(t *testing.T) {
	h := Handler(site(t))
	first := get(t, h, http.MethodGet, "/main.js")
	modified := first.Header().Get("Last-Modified")
	if modified == "" {
		t.Fatalf("GET /main.js: no Last-Modified header")
	}
	req := httptest.NewRequest(http.MethodGet, "/main.js", nil)
	req.Header.Set("If-Modified-Since", modified)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("conditional GET: status %d, want 304", rec.Code)
	}
}

// logBuffer collects log lines from several goroutines.
type logBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (b *logBuffer) logf(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines = append(b.lines, fmt.Sprintf(format, args...))
}

func (b *logBuffer) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.lines)
}

func TestServeAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	var log logBuffer
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, site(t), log.logf) }()

	resp, err := http.Get("http://" + addr + "/main.wasm")
	if err != nil {
		t.Fatalf("GET main.wasm: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(body) != 8 {
		t.Errorf("GET main.wasm: status %d with %d bytes, want 200 with 8", resp.StatusCode, len(body))
	}
	if got := resp.Header.Get("Content-Type"); got != "application/wasm" {
		t.Errorf("GET main.wasm over TCP: Content-Type %q, want application/wasm", got)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel returned %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Serve did not return within 10 s of cancel")
	}
	// One line for the start, one for the request and one for the stop.
	if got := log.count(); got < 3 {
		t.Errorf("Serve logged %d lines, want at least 3", got)
	}
}

func TestListenAndServeBadAddress(t *testing.T) {
	err := ListenAndServe(context.Background(), "127.0.0.1:notaport", site(t), nil)
	if err == nil {
		t.Fatalf("ListenAndServe on a bad address returned nil, want an error")
	}
	if !strings.HasPrefix(err.Error(), "webserve: ") {
		t.Errorf("error %q does not start with %q", err, "webserve: ")
	}
}

func TestServeMissingDir(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	err = Serve(context.Background(), ln, filepath.Join(t.TempDir(), "absent"), nil)
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("Serve on a missing directory returned %v, want a not found error", err)
	}
}
