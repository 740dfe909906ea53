// Package webserve serves the NeuroMOP web page from a directory for local
// development and browser tests. It sets the headers that the page relies
// on: application/wasm for WebAssembly, so browsers can compile it while it
// downloads, the Content-Security-Policy of the page, and no-cache, so a
// rebuilt main.wasm is fetched again.
package webserve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"time"
)

// ContentSecurityPolicy is the policy sent with every response. It matches
// the meta tag of public/index.html. 'wasm-unsafe-eval' permits compiling
// WebAssembly and nothing else that script-src 'unsafe-eval' would.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self'; img-src 'self' data: blob:; worker-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'none'"

// contentTypes maps file extensions to media types. The table is fixed so
// that responses do not depend on the host's mime.types file.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
}

// ContentType returns the media type served for a file name, and
// application/octet-stream for an unknown extension.
func ContentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// Handler returns a handler that serves the files under dir. A path that
// ends in a slash serves that directory's index.html. It rejects methods
// other than GET and HEAD, and responds with 404 to requests for directory
// listings, for path elements that start with a dot, and for anything that
// resolves outside dir, symbolic links included.
func Handler(dir string) http.Handler {
	return &handler{dir: dir}
}

type handler struct {
	dir string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	header := w.Header()
	header.Set("Content-Security-Policy", ContentSecurityPolicy)
	header.Set("X-Content-Type-Options", "nosniff")
	header.Set("Cache-Control", "no-cache")

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		header.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}

	name, ok := fileName(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}

	root, err := os.OpenRoot(h.dir)
	if err != nil {
		http.Error(w, "site directory is not readable", http.StatusInternalServerError)
		return
	}
	defer root.Close()

	f, err := root.Open(name)
	if err != nil {
		// A name that escapes the root through a symbolic link fails here
		// too, and gets the same 404 as a missing file.
		http.NotFound(w, r)
		return
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}

	header.Set("Content-Type", ContentType(name))
	http.ServeContent(w, r, name, info.ModTime(), f)
}

// fileName converts a URL path to a slash-separated name relative to the
// site directory, and reports false for a path with an element that starts
// with a dot.
func fileName(urlPath string) (string, bool) {
	if strings.HasSuffix(urlPath, "/") {
		urlPath += "index.html"
	}
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	for elem := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(elem, ".") {
			return "", false
		}
	}
	return name, true
}

// ListenAndServe serves dir on addr until ctx is done, then shuts the server
// down, waiting up to five seconds for requests in progress. It logs the
// address it listens on and each request through logf, which may be nil. It
// returns nil after a shutdown that ctx started.
func ListenAndServe(ctx context.Context, addr, dir string, logf func(string, ...any)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("webserve: %w", err)
	}
	return Serve(ctx, ln, dir, logf)
}

// Serve is ListenAndServe on a listener that the caller opened, such as one
// on port 0 whose address the caller reads first. Serve closes ln.
func Serve(ctx context.Context, ln net.Listener, dir string, logf func(string, ...any)) error {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		ln.Close()
		return fmt.Errorf("webserve: site directory %q not found; run ./build.sh first", dir)
	}

	srv := &http.Server{
		Handler:           logRequests(Handler(dir), logf),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logf("webserve: serving %s on http://%s/", dir, ln.Addr())

	select {
	case err := <-errc:
		return fmt.Errorf("webserve: %w", err)
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	logf("webserve: stopped serving on http://%s/", ln.Addr())
	if err != nil {
		return fmt.Errorf("webserve: shutdown: %w", err)
	}
	return nil
}

// statusRecorder keeps the status code that a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func logRequests(h http.Handler, logf func(string, ...any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		logf("webserve: %s %q %d %s", r.Method, r.URL.Path, rec.status, time.Since(start).Round(time.Microsecond))
	})
}
