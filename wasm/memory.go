//go:build js && wasm

package main

import "runtime/metrics"

// liveHeapBytes returns the heap memory that the last garbage collection
// marked live. Unlike the heap size, it does not rise with the garbage
// made between collections, so a steady page reports a steady value.
func liveHeapBytes() uint64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return sample[0].Value.Uint64()
}
