//go:build !js

package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// FirefoxPath returns the path of firefox-esr or firefox on PATH, or "" when
// neither is installed.
func FirefoxPath() string {
	for _, name := range []string{"firefox-esr", "firefox"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// firefoxPrefs keep a fresh profile from connecting anywhere but loopback:
// every proxy points at the closed port 9 of 127.0.0.1, which loopback
// addresses bypass, and the background services that phone home are off.
var firefoxPrefs = []string{
	`user_pref("network.proxy.type", 1);`,
	`user_pref("network.proxy.http", "127.0.0.1");`,
	`user_pref("network.proxy.http_port", 9);`,
	`user_pref("network.proxy.ssl", "127.0.0.1");`,
	`user_pref("network.proxy.ssl_port", 9);`,
	`user_pref("network.proxy.socks", "127.0.0.1");`,
	`user_pref("network.proxy.socks_port", 9);`,
	`user_pref("network.proxy.socks_remote_dns", true);`,
	`user_pref("network.proxy.no_proxies_on", "127.0.0.1, localhost");`,
	`user_pref("network.trr.mode", 5);`,
	`user_pref("network.dns.disablePrefetch", true);`,
	`user_pref("network.prefetch-next", false);`,
	`user_pref("network.captive-portal-service.enabled", false);`,
	`user_pref("network.connectivity-service.enabled", false);`,
	`user_pref("app.update.auto", false);`,
	`user_pref("app.update.enabled", false);`,
	`user_pref("app.normandy.enabled", false);`,
	`user_pref("browser.shell.checkDefaultBrowser", false);`,
	`user_pref("browser.safebrowsing.malware.enabled", false);`,
	`user_pref("browser.safebrowsing.phishing.enabled", false);`,
	`user_pref("browser.safebrowsing.downloads.enabled", false);`,
	`user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");`,
	`user_pref("browser.newtabpage.activity-stream.feeds.topsites", false);`,
	`user_pref("browser.newtabpage.enabled", false);`,
	`user_pref("browser.startup.homepage_override.mstone", "ignore");`,
	`user_pref("datareporting.healthreport.uploadEnabled", false);`,
	`user_pref("datareporting.policy.dataSubmissionEnabled", false);`,
	`user_pref("toolkit.telemetry.enabled", false);`,
	`user_pref("toolkit.telemetry.unified", false);`,
	`user_pref("extensions.update.enabled", false);`,
	`user_pref("extensions.getAddons.cache.enabled", false);`,
	`user_pref("extensions.blocklist.enabled", false);`,
	`user_pref("services.settings.server", "http://127.0.0.1:9/");`,
	`user_pref("messaging-system.rsexperimentloader.enabled", false);`,
	`user_pref("geo.provider.network.url", "");`,
	// Mesa's llvmpipe, the only OpenGL under Xvfb, is on Firefox's list of
	// drivers that get no WebGL unless it is forced.
	`user_pref("webgl.force-enabled", true);`,
}

// FirefoxWebGL reports whether FirefoxScreenshot runs Firefox with an X
// display, either the one in DISPLAY or one that xvfb-run starts. Firefox
// 153 ESR offers no WebGL in --screenshot mode without a display, and with
// one it renders WebGL through Mesa.
func FirefoxWebGL() bool {
	if os.Getenv("DISPLAY") != "" {
		return true
	}
	_, err := exec.LookPath("xvfb-run")
	return err == nil
}

// FirefoxScreenshot opens url in headless Firefox at firefox with a fresh
// profile under profileDir, and writes a PNG of a width × height window to
// out. Where DISPLAY is unset and xvfb-run is installed, Firefox runs under
// a virtual X server so that WebGL works, see FirefoxWebGL. Firefox takes
// the screenshot once the page's load event fires, so a page that draws
// later shows only what it had drawn by then.
func FirefoxScreenshot(ctx context.Context, firefox, profileDir, url, out string, width, height int) error {
	prefs := strings.Join(firefoxPrefs, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(profileDir, "user.js"), []byte(prefs), 0o644); err != nil {
		return fmt.Errorf("browsertest: writing the Firefox profile: %w", err)
	}
	args := []string{firefox,
		"--headless", "--no-remote", "--profile", profileDir,
		"--window-size", fmt.Sprintf("%d,%d", width, height),
		"--screenshot", out, url}
	if os.Getenv("DISPLAY") == "" {
		if xvfb, err := exec.LookPath("xvfb-run"); err == nil {
			screen := fmt.Sprintf("-screen 0 %dx%dx24", width, height)
			args = append([]string{xvfb, "--auto-servernum", "--server-args=" + screen}, args...)
		}
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	// Firefox reads its home and cache directories from these variables, so
	// a run leaves nothing behind outside profileDir.
	cmd.Env = append(os.Environ(), "HOME="+profileDir, "XDG_CACHE_HOME="+filepath.Join(profileDir, "cache"))
	output, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("browsertest: %s --screenshot failed: %w\n%s", firefox, err, output)
	}
	if _, err := os.Stat(out); err != nil {
		return fmt.Errorf("browsertest: %s wrote no screenshot: %w\n%s", firefox, err, output)
	}
	return nil
}
