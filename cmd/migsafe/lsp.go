package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/migsafe/migsafe/lsp"
)

func init() { register("lsp", "run the language server on stdio", runLsp) }

func runLsp(args []string) int {
	fs := flagSet("lsp", args, os.Stdout, os.Stderr)
	logFile := fs.String("log-file", "", "write the server log to this file (default: stderr)")
	verbose := fs.Bool("v", false, "log every message handled, with its duration")
	debounce := fs.Duration("debounce", lsp.DefaultDebounce, "wait this long after an edit before analysing (for a client that pulls diagnostics only when given: it is analysed at once otherwise)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: migsafe lsp [--log-file FILE] [--debounce 150ms] [-v]\n\nSpeaks the Language Server Protocol on stdin/stdout.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
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
	return srv.Serve(context.Background(), stdio{})
}

// stdio joins stdin and stdout into the stream the server speaks on.
type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error {
	return firstErr(os.Stdin.Close(), os.Stdout.Close())
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
