package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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
		fs.SetOutput(stdout)
	}
	return fs
}

// parseExit is the exit code after a failed fs.Parse: 0 when the user asked for help.
func parseExit(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// simpleHelp handles -h for the commands without flags: it prints usage and reports
// whether it did.
func simpleHelp(args []string, usage string) bool {
	if !helpRequested(args) {
		return false
	}
	fmt.Fprintln(os.Stdout, usage)
	return true
}

// runHelp is `migsafe help [COMMAND]`.
func runHelp(args []string) int {
	switch len(args) {
	case 0:
		usage(os.Stdout)
		return 0
	case 1:
		if args[0] == "help" || helpRequested(args) {
			// help is a command of its own (the usage lists `help [COMMAND]`), so
			// help on it is not an unknown command.
			fmt.Fprintln(os.Stdout, helpUsage)
			return 0
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
