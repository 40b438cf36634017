package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// helpRequested reports whether args ask for help (-h, -help, --help) before a "--".
func helpRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// flagSet makes a subcommand's flags. Help that was asked for goes to stdout (and the
// command exits 0, see parseExit); a usage error goes to stderr with the usage.
func flagSet(name string, args []string, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if helpRequested(args) {
		// The flag package drops write errors: recorded, parseExit sees them.
		fs.SetOutput(&helpWriter{w: stdout, stderr: stderr})
	}
	return fs
}

// helpWriter keeps the first error writing the help, for parseExit to report on stderr.
type helpWriter struct {
	w, stderr io.Writer
	err       error
}

func (h *helpWriter) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	if err != nil && h.err == nil {
		h.err = err
	}
	return n, err
}

// parseExit is the exit code after a failed fs.Parse: 0 when the user asked for help
// and got it, 2 for a usage error or help that could not be written (`check -h >
// /dev/full` exited 0 with nothing printed).
func parseExit(fs *flag.FlagSet, err error) int {
	if !errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if h, ok := fs.Output().(*helpWriter); ok && h.err != nil {
		fmt.Fprintf(h.stderr, "migsafe %s: writing output: %v\n", fs.Name(), h.err)
		return 2
	}
	return 0
}

// writeOut prints text on stdout for command: 0, or 2 saying why when it cannot be
// written (help and version exited 0 with nothing printed to a full disk or /dev/full).
func writeOut(command, text string) int {
	if _, err := io.WriteString(os.Stdout, text); err != nil {
		fmt.Fprintf(os.Stderr, "%s: writing output: %v\n", command, err)
		return 2
	}
	return 0
}

// simpleHelp handles -h for the commands without flags: it prints usage and reports
// whether it did, with the exit code.
func simpleHelp(args []string, command, usage string) (code int, done bool) {
	if !helpRequested(args) {
		return 0, false
	}
	return writeOut("migsafe "+command, usage+"\n"), true
}

// usageText is usage's text, for writeOut.
func usageText() string {
	var b strings.Builder
	usage(&b)
	return b.String()
}

// runHelp is `migsafe help [COMMAND]`.
func runHelp(args []string) int {
	switch len(args) {
	case 0:
		return writeOut("migsafe help", usageText())
	case 1:
		if args[0] == "help" || helpRequested(args) {
			// help is a command of its own (the usage lists `help [COMMAND]`), so
			// help on it is not an unknown command.
			return writeOut("migsafe help", helpUsage+"\n")
		}
		c, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(os.Stderr, "migsafe help: unknown command %q\n\n", args[0])
			usage(os.Stderr)
			return 2
		}
		return c.run([]string{"-h"})
	}
	fmt.Fprintln(os.Stderr, helpUsage)
	return 2
}

const helpUsage = "usage: migsafe help [COMMAND]\n\nLists the commands, or prints a command's usage and flags (as `migsafe COMMAND -h` does)."

// given reports whether the command line set the flag name (an explicit empty value
// included), for defaults read after parsing.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
