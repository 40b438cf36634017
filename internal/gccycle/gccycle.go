// Package gccycle runs a function after each garbage collection: the check command
// and the language server adjust the collector to the heap the last cycle found live.
package gccycle

import "runtime"

// sentinel is garbage the moment it is made: its finalizer runs once a collection
// finds it unreachable, that is once per cycle. (It holds a pointer, so it is never
// batched with the tiny allocations whose finalizers wait for all of them.)
type sentinel struct{ f func() bool }

// Each calls f after every collection from now on, until f returns false. f runs on
// the finalizer goroutine: it must be quick and must not block.
func Each(f func() bool) {
	runtime.SetFinalizer(&sentinel{f}, func(s *sentinel) {
		if s.f() {
			Each(s.f)
		}
	})
}
