package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/migsafe/migsafe/lsp"
)

func init() { register("lsp", "run the language server on stdio", runLsp) }

func runLsp(args []string) int {
	fs := flagSet("lsp", args, os.Stdout, os.Stderr)
	logFile := fs.String("log-file", "", "write the server log to this file (default: stderr)")
	verbose := fs.Bool("v", false, "log every message handled, with its duration")
	// vscode-languageclient appends --stdio to the command of a server it runs over
	// stdio (the VS Code extension's transport), and the flag was unknown: the server
	// exited 2 before the first message. stdio is the only transport, so it changes
	// nothing.
	fs.Bool("stdio", true, "speak on stdin and stdout (the only transport; accepted because LSP clients such as vscode-languageclient pass it)")
	debounce := fs.Duration("debounce", lsp.DefaultDebounce, "wait this long after an edit before analysing (for a client that pulls diagnostics only when given: it is analysed at once otherwise)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe lsp [--log-file FILE] [--debounce 150ms] [-v] [--stdio]\n\nSpeaks the Language Server Protocol on stdin/stdout.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(fs, err)
	}
	// Usage errors an editor's launch config makes are said, not taken: a negative
	// --debounce and stray arguments were accepted silently.
	if *debounce < 0 {
		fmt.Fprintf(os.Stderr, "migsafe lsp: --debounce %v: must not be negative\n", *debounce)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "migsafe lsp: unexpected argument %q (the server speaks on stdin and stdout; see migsafe lsp -h)\n", fs.Arg(0))
		return 2
	}
	// stdout carries the protocol: the log goes to stderr or a file, never there.
	var sink zapcore.WriteSyncer = zapcore.Lock(os.Stderr)
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(os.Stderr, "migsafe lsp: %v\n", err)
			return 2
		}
		defer f.Close()
		sink = zapcore.Lock(f)
	}
	level := zapcore.InfoLevel
	if *verbose {
		level = zapcore.DebugLevel
	}
	enc := zap.NewProductionEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	log := zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), sink, level))
	defer log.Sync()

	lsp.Version = version()
	defer lsp.TuneGC(lsp.GCHeadroom)()
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "debounce" })
	srv := lsp.NewServer(lsp.Options{Logger: log, Debounce: *debounce, DebouncePulls: explicit})
	in, restore := pollableStdin()
	defer restore()
	return srv.Serve(context.Background(), stdio{in: in, restore: restore})
}

// stdio joins stdin and stdout into the stream the server speaks on.
type stdio struct {
	in      *os.File
	restore func() // before in is closed: see pollableStdin
}

func (s stdio) Read(p []byte) (int, error) { return s.in.Read(p) }
func (stdio) Write(p []byte) (int, error)  { return os.Stdout.Write(p) }
func (s stdio) Close() error {
	s.restore()
	return firstErr(s.in.Close(), os.Stdout.Close())
}

// pollableStdin is stdin read through the runtime's poller when it is a pipe or a
// socket (as editors connect servers): a blocking read holds its thread and processor
// in the system call, so the goroutine it hands each message to waits for another
// processor to be woken (~40 µs of every edit's way to its analysis on this machine);
// a parked read frees the processor at once. Anything else (a terminal, a file), or a
// stdin that is also stdout (one socket both ways: O_NONBLOCK would apply to the
// writes too), stays as it is. restore puts the descriptor back in blocking mode,
// since whoever passed it on may read it after the server exits.
func pollableStdin() (in *os.File, restore func()) {
	in, out := os.Stdin, os.Stdout
	fi, err := in.Stat()
	if err != nil || fi.Mode()&(os.ModeNamedPipe|os.ModeSocket) == 0 {
		return in, func() {}
	}
	if fo, err := out.Stat(); err != nil || os.SameFile(fi, fo) {
		return in, func() {}
	}
	if err := syscall.SetNonblock(syscall.Stdin, true); err != nil {
		return in, func() {}
	}
	return os.NewFile(uintptr(syscall.Stdin), "/dev/stdin"), sync.OnceFunc(func() { _ = syscall.SetNonblock(syscall.Stdin, false) })
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

var _ io.ReadWriteCloser = stdio{}
