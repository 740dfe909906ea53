//go:build js && wasm && neuromop_crashtest

package main

// A build with the neuromop_crashtest tag panics two seconds after start, so
// the browser tests can check that the error overlay shows the panic.
func init() { crashAfterTicks = 120 }
