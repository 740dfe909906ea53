package main

import (
	"context"
	"io"
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
	if info, err := os.Stat(*dir); err != nil || !info.IsDir() {
		return invalidf("site directory %q not found; run ./build.sh first, or pass -dir", *dir)
	}
	_, port, err := net.SplitHostPort(*addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		return invalidf("invalid -addr %q: want HOST:PORT with a port from 0 to 65535, such as 127.0.0.1:8080", *addr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := newProgress(stderr, false)
	return webserve.ListenAndServe(ctx, *addr, *dir, log.printf)
}
