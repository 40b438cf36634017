// Command migsafe reviews PostgreSQL migrations for production safety.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sort"
)

// command is one subcommand; run returns the exit code (0 ok, 1 findings at or above
// --fail-on, 2 usage, configuration or I/O error).
type command struct {
	summary string
	run     func(args []string) int
}

var commands = map[string]command{}

func register(name, summary string, run func([]string) int) {
	commands[name] = command{summary: summary, run: run}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: migsafe <command> [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'migsafe help <command>' (or 'migsafe <command> -h') for a command's flags.")
}

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	name := os.Args[1]
	if name == "-h" || name == "-help" || name == "--help" {
		os.Exit(writeOut("migsafe", usageText()))
	}
	if name == "help" {
		os.Exit(runHelp(os.Args[2:]))
	}
	if name == "--version" {
		name = "version"
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "migsafe: unknown command %q\n\n", name)
		usage(os.Stderr)
		os.Exit(2)
	}
	os.Exit(withProfile(func() int { return c.run(os.Args[2:]) }))
}

// withProfile writes a CPU profile to $MIGSAFE_CPUPROFILE, a heap profile to
// $MIGSAFE_MEMPROFILE and an execution trace to $MIGSAFE_TRACE when they are set: the
// benchmarks' figures are explained from these, on the same binary users run (the
// trace shows where check's pipeline leaves a core idle, which a CPU profile cannot).
//
// Without $MIGSAFE_MEMPROFILE the runtime samples no allocations: its sampling
// (a stack walk and hash every 512 KB allocated) cost ~2% of a check's CPU, for a
// profile nobody writes.
func withProfile(run func() int) int {
	if os.Getenv("MIGSAFE_MEMPROFILE") == "" {
		runtime.MemProfileRate = 0
	}
	if p := os.Getenv("MIGSAFE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			defer f.Close() // deferred first so that it runs after StopCPUProfile's write
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	if p := os.Getenv("MIGSAFE_TRACE"); p != "" {
		if f, err := os.Create(p); err == nil {
			defer f.Close() // deferred first so that it runs after trace.Stop's write
			if trace.Start(f) == nil {
				defer trace.Stop()
			}
		}
	}
	code := run()
	if p := os.Getenv("MIGSAFE_MEMPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	return code
}
