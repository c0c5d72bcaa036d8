package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"

	"glassbox/analyzers/finding"
)

// Exit codes, one per outcome class.
const (
	exitClean    = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // usage error, bad rule pack, or a scan that could not complete
)

// version is glassbox's release; builds from a checkout add the commit (see versionString).
const version = "0.1.0"

// informationURI is where SARIF consumers are sent for glassbox's documentation. The project
// has no public site yet, so it is a name under the reserved .invalid domain rather than an
// address that could belong to someone else; release builds set the real one with
// -ldflags "-X main.informationURI=…".
var informationURI = "https://glassbox.invalid/docs"

const usage = `glassbox reviews C, C++ and Go source for telemetry upload paths and hidden remote commands.

Usage:
  glassbox scan PATH [flags]     scan a directory (or "dir/...", or one file) and report findings
  glassbox worker --nats URL     analyse files for the scans coordinated on a NATS deployment
  glassbox rules list [flags]    list the rules of the built-in and given packs
  glassbox rules show ID         show one rule in full
  glassbox rules test PATH...    check annotated samples against the rules (see README)
  glassbox version               print the version

Run "glassbox scan -h" for the scan flags.
`

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	switch args[0] {
	case "scan":
		return runScan(args[1:], stdout, stderr)
	case "worker":
		return runWorker(args[1:], stderr)
	case "rules":
		return runRules(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "glassbox", versionString())
		return exitClean
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitClean
	}
	fmt.Fprintf(stderr, "glassbox: unknown command %q\n\n%s", args[0], usage)
	return exitError
}

// exitCode decides the scan's exit code from the levels of its findings and --fail-on
// ("none" never fails).
func exitCode(levels []finding.Level, failOn string) int {
	threshold := finding.Level(failOn).Rank()
	if threshold == 0 {
		return exitClean
	}
	for _, l := range levels {
		if l.Rank() >= threshold {
			return exitFindings
		}
	}
	return exitClean
}

func versionString() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

// parseInterspersed parses flags that may come before or after positional arguments, as
// in `glassbox scan ./src -o out.sarif`; the standard flag package stops at the first
// positional argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// sizeFlag is a byte count that accepts K/KiB, M/MiB and G/GiB suffixes.
type sizeFlag int64

func (s *sizeFlag) String() string { return strconv.FormatInt(int64(*s), 10) }

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

var errSize = errors.New("want a byte count such as 4194304, 512KiB or 4MiB")

func parseSize(v string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(v, u.suffix); ok {
			v, mult = rest, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n <= 0 {
		return 0, errSize
	}
	return n * mult, nil
}
