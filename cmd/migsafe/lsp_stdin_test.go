package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLSPStdinPipeReadThroughPollerAndRestored: with stdin a pipe, as editors start
// servers, `migsafe lsp` reads it non-blocking while it serves (its reads park in the
// runtime's poller) and puts it back in blocking mode when it exits, since the pipe may
// be read by whoever handed it on.
func TestLSPStdinPipeReadThroughPollerAndRestored(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	cmd := exec.Command(binary, "lsp")
	cmd.Stdin = r
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer cmd.Process.Kill()

	send := func(msg string) {
		if _, err := fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(msg), msg); err != nil {
			t.Fatal(err)
		}
	}
	answers := make(chan string, 4)
	go func() {
		br := bufio.NewReader(out)
		for {
			n := -1
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					close(answers)
					return
				}
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Content-Length: "); ok {
					n, _ = strconv.Atoi(v)
				}
				if strings.TrimSpace(line) == "" {
					break
				}
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(br, body); err != nil {
				close(answers)
				return
			}
			answers <- string(body)
		}
	}()
	answer := func(what string) string {
		select {
		case a, ok := <-answers:
			if !ok {
				t.Fatalf("the server closed stdout before answering %s", what)
			}
			return a
		case <-time.After(20 * time.Second):
			t.Fatalf("no answer to %s", what)
		}
		return ""
	}

	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)
	if a := answer("initialize"); !strings.Contains(a, `"capabilities"`) {
		t.Fatalf("initialize answered %s", a)
	}
	if !nonblocking(t, r) {
		t.Error("while serving, stdin (a pipe) is in blocking mode: its reads hold a thread and a processor")
	}
	send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
	answer("shutdown")
	send(`{"jsonrpc":"2.0","method":"exit"}`)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("migsafe lsp exited with %v after shutdown and exit", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("migsafe lsp did not exit")
	}
	if nonblocking(t, r) {
		t.Error("after the server exited, its stdin pipe is left non-blocking")
	}
}

// nonblocking reports whether f's open file description has O_NONBLOCK set, without
// changing it (f.Fd() would put it in blocking mode).
func nonblocking(t *testing.T, f *os.File) bool {
	t.Helper()
	rc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var flags uintptr
	var errno syscall.Errno
	if err := rc.Control(func(fd uintptr) {
		flags, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
	}); err != nil || errno != 0 {
		t.Fatalf("fcntl: %v %v", err, errno)
	}
	return flags&syscall.O_NONBLOCK != 0
}
