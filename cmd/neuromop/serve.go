package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/neuromop/neuromop/wasm/webserve"
)

func runServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "neuromop serve [-dir DIR] [-addr HOST:PORT]",
		"Serves the web page from a directory, as ./build.sh writes it, with the headers the page\n"+
			"needs, until interrupted (Ctrl-C or SIGTERM). Each request is logged to stderr.",
		paramsNamed())
	dir := fs.String("dir", "public", "serve the files of `DIR`")
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`; port 0 picks a free port")
	if help, err := fs.parse(args, stdout); help || err != nil {
		return err
	}
	if err := checkSiteDir(*dir); err != nil {
		return invalid(err)
	}
	host, port, err := net.SplitHostPort(*addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return invalidf("invalid -addr %q: want HOST:PORT with a port from 0 to 65535, such as 127.0.0.1:8080", *addr)
	}
	if looksNumeric(host) && net.ParseIP(host) == nil {
		return invalidf("invalid -addr %q: %q is not an IP address; want HOST:PORT such as 127.0.0.1:8080", *addr, host)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return listenError(*addr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := newProgress(stderr, false)
	return webserve.Serve(ctx, ln, *dir, log.printf)
}

// checkSiteDir reports why dir cannot be served: it does not exist, or it
// is not a directory.
func checkSiteDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("site directory %q not found; run ./build.sh first, or pass -dir", dir)
	case err != nil:
		return fmt.Errorf("cannot read the site directory %q: %v", dir, err)
	case !info.IsDir():
		return fmt.Errorf("site directory %q is not a directory; pass -dir with the directory that ./build.sh writes, such as public", dir)
	}
	return nil
}

// looksNumeric reports whether host has only digits and dots, the form of
// an IPv4 address, so that a host such as 999.1.1.1 is rejected before it
// is looked up as a name.
func looksNumeric(host string) bool {
	if host == "" {
		return false
	}
	for _, r := range host {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// listenError describes a failure to listen on addr. A host that does not
// resolve and an address that is not one of this machine's are invalid
// input. Any other failure, such as a port in use, is an error of its own.
func listenError(addr string, err error) error {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return invalidf("invalid -addr %q: host %q not found; want HOST:PORT such as 127.0.0.1:8080", addr, dnsErr.Name)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return invalidf("invalid -addr %q: not an address of this machine; want HOST:PORT such as 127.0.0.1:8080", addr)
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("cannot listen on %s: the address is in use; stop the program that uses it or pass another -addr", addr)
	}
	return fmt.Errorf("cannot listen on %s: %v", addr, err)
}
