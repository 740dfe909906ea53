//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// builtFiles are the files that the build writes into public/. A stale copy
// left there by ./build.sh is not copied into a test site.
var builtFiles = map[string]bool{"main.wasm": true, "worker.wasm": true, "wasm_exec.js": true}

// ModuleRoot returns the directory of the go.mod file that contains the
// current directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("browsertest: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("browsertest: no go.mod found above the current directory")
		}
		dir = parent
	}
}

// BuildSite writes a runnable copy of the page into dst: the files of
// root/public, main.wasm built from root/wasm, worker.wasm built from
// root/wasm/worker when that directory exists, and Go's wasm_exec.js. tags
// are passed to go build with -tags.
func BuildSite(ctx context.Context, root, dst string, tags ...string) error {
	if err := copyPublic(filepath.Join(root, "public"), dst); err != nil {
		return err
	}
	if err := buildWasm(ctx, root, "./wasm", filepath.Join(dst, "main.wasm"), tags); err != nil {
		return err
	}
	if info, err := os.Stat(filepath.Join(root, "wasm", "worker")); err == nil && info.IsDir() {
		if err := buildWasm(ctx, root, "./wasm/worker", filepath.Join(dst, "worker.wasm"), tags); err != nil {
			return err
		}
	}
	return copyWasmExec(ctx, filepath.Join(dst, "wasm_exec.js"))
}

func copyPublic(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("browsertest: copying the page: %w", err)
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if builtFiles[filepath.ToSlash(rel)] {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("browsertest: copying the page: %w", err)
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func buildWasm(ctx context.Context, root, pkg, out string, tags []string) error {
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", out}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	args = append(args, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("browsertest: GOOS=js GOARCH=wasm go %s failed: %w\n%s",
			strings.Join(args, " "), err, output)
	}
	return nil
}

// copyWasmExec copies wasm_exec.js from the Go installation that builds the
// program, because the two must be of the same Go version. Go 1.24 moved it
// from misc/wasm to lib/wasm.
func copyWasmExec(ctx context.Context, dst string) error {
	out, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("browsertest: go env GOROOT: %w", err)
	}
	goroot := string(bytes.TrimSpace(out))
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		data, err := os.ReadFile(filepath.Join(goroot, dir, "wasm_exec.js"))
		if err == nil {
			return os.WriteFile(dst, data, 0o644)
		}
	}
	return fmt.Errorf("browsertest: wasm_exec.js not found in %s/lib/wasm or %s/misc/wasm", goroot, goroot)
}

// buildTimeout bounds one build of the site. A cold build of the wasm
// program takes about a minute on two cores.
const buildTimeout = 10 * time.Minute

var sites = struct {
	sync.Mutex
	dirs map[string]string // built directory by comma-joined tags
	errs map[string]error
	all  []string
}{dirs: map[string]string{}, errs: map[string]error{}}

// Site returns the directory of a site built with BuildSite from the module
// that contains the current directory. The first call for a set of tags
// builds it, and later calls in the same test binary reuse it. A failed
// build fails every test that requests it.
func Site(tb testing.TB, tags ...string) string {
	tb.Helper()
	key := strings.Join(tags, ",")

	sites.Lock()
	defer sites.Unlock()
	if err := sites.errs[key]; err != nil {
		tb.Fatal(err)
	}
	if dir, ok := sites.dirs[key]; ok {
		return dir
	}

	root, err := ModuleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "neuromop-site-")
	if err != nil {
		tb.Fatal(err)
	}
	sites.all = append(sites.all, dir)

	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	start := time.Now()
	if err := BuildSite(ctx, root, dir, tags...); err != nil {
		sites.errs[key] = err
		tb.Fatal(err)
	}
	tb.Logf("browsertest: built the site with tags %q in %s", key, time.Since(start).Round(time.Millisecond))
	sites.dirs[key] = dir
	return dir
}

// Main runs the tests of m and then removes the sites that Site built. Call
// it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	sites.Lock()
	for _, dir := range sites.all {
		os.RemoveAll(dir)
	}
	sites.Unlock()
	os.Exit(code)
}
