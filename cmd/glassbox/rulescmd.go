package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

func runRules(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, "Usage: glassbox rules list|show ID|test PATH... [--rules FILE|DIR] [--pack NAME]\n")
		return exitError
	}
	fs := flag.NewFlagSet("glassbox rules "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var paths, packs listFlag
	fs.Var(&paths, "rules", "load rule packs from `FILE` or directory (repeatable)")
	fs.Var(&packs, "pack", "only the pack `NAME` (repeatable)")
	pos, err := parseInterspersed(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	set, err := loadRules(paths, packs)
	if err != nil {
		fmt.Fprintln(stderr, "glassbox rules:", err)
		return exitError
	}
	switch args[0] {
	case "list":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tLANGUAGES\tPACK\tNAME")
		for _, r := range set.Rules() {
			langs := make([]string, len(r.Languages))
			for i, l := range r.Languages {
				langs[i] = string(l)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, strings.Join(langs, ","), r.Pack.Name, r.Name)
		}
		tw.Flush()
		return exitClean
	case "show":
		if len(pos) != 1 {
			fmt.Fprintln(stderr, "glassbox rules show: want one rule id")
			return exitError
		}
		r := set.Rule(pos[0])
		if r == nil {
			fmt.Fprintf(stderr, "glassbox rules show: no rule %q (see glassbox rules list)\n", pos[0])
			return exitError
		}
		showRule(stdout, r)
		return exitClean
	case "test":
		return runRulesTest(set, pos, stdout, stderr)
	}
	fmt.Fprintf(stderr, "glassbox rules: unknown subcommand %q (list, show, test)\n", args[0])
	return exitError
}
