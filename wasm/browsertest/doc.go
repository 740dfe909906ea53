//go:build !js

// Package browsertest runs the NeuroMOP page in real browsers from ordinary
// Go tests. It builds the WebAssembly program once per test binary into a
// copy of public/, serves that copy on 127.0.0.1 with package webserve,
// drives headless Chromium through chromedp, and takes screenshots with
// headless Firefox where one is installed.
//
// A test package that uses Site calls Main from its TestMain, so the built
// copies are removed when the tests end.
package browsertest
