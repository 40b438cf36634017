package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// interruption cancels a context on SIGINT, SIGTERM (what CI systems send at a
// timeout) or SIGHUP (a closed terminal), so that commands that start throwaway
// PostgreSQL clusters stop them and remove their files on the way out, as they do on
// success. A second signal kills the process the usual way.
type interruption struct {
	mu   sync.Mutex
	sig  os.Signal
	stop func()
}

func interruptible() (context.Context, *interruption) {
	ctx, cancel := context.WithCancel(context.Background())
	in := &interruption{}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			in.mu.Lock()
			in.sig = s
			in.mu.Unlock()
			signal.Reset(os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			cancel()
		case <-done:
		}
	}()
	in.stop = func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
	return ctx, in
}

// signal is the signal that interrupted the command, nil if none did.
func (in *interruption) signal() os.Signal {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.sig
}

// exitCode is the shell's code for death by the signal (128 + its number).
func (in *interruption) exitCode() int {
	if s, ok := in.signal().(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 2
}
