package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/expect"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/taint"
	"glassbox/rules"
	"glassbox/workers/walk"
)

// runRulesTest checks annotated samples (see package expect) against the selected rules and
// prints every failing line, then precision and recall per rule. Each PATH is one program:
// its files are linked together for taint rules. It exits 1 when a sample fails.
func runRulesTest(set *rules.Set, paths []string, stdout, stderr io.Writer) int {
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "glassbox rules test: want one or more sample directories or files")
		return exitError
	}
	engine, free, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "glassbox rules test:", err)
		return exitError
	}
	defer free()
	session := engine.NewSession()
	defer session.Close()
	h := &expect.Harness{
		Session: session,
		Link:    func(rs []finding.FileResult) []finding.Finding { return taint.Link(rs, set) },
		Program: func(string) string { return "" },
		Keep:    func(_, id string) bool { return set.Rule(id) != nil },
	}
	var outcomes []expect.Outcome
	for _, p := range paths {
		files, err := samples(p, stderr)
		if err == nil {
			var judged []expect.Sample
			judged, err = h.Run(context.Background(), files)
			for _, s := range judged {
				outcomes = append(outcomes, s.Outcomes...)
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "glassbox rules test:", err)
			return exitError
		}
	}
	failed := 0
	for _, o := range outcomes {
		if o.Kind.Failing() {
			failed++
			fmt.Fprintf(stdout, "%s:%d: %s %q %s\n", o.Path, o.Line, o.Kind, o.RuleID, o.Msg)
		}
	}
	expect.WriteTable(stdout, expect.Tally(outcomes, func(id string) string { return "pack " + set.Rule(id).Pack.Name }))
	if failed > 0 {
		fmt.Fprintf(stdout, "%d failing expectation(s)\n", failed)
		return exitFindings
	}
	return exitClean
}

// samples reads the source files under path (tests included: samples are often named so).
func samples(path string, stderr io.Writer) ([]source.File, error) {
	root, err := walk.Open(path)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	var files []source.File
	err = walk.Walk(context.Background(), root.FS, walk.Options{Only: root.Only, IncludeTests: true}, func(f source.File) error {
		files = append(files, f)
		return nil
	}, func(n finding.Notification) {
		fmt.Fprintf(stderr, "%s: %s: %s\n", n.Path, n.Level, n.Message)
	})
	return files, err
}

func showRule(w io.Writer, r *rules.Rule) {
	langs := make([]string, len(r.Languages))
	for i, l := range r.Languages {
		langs[i] = string(l)
	}
	fmt.Fprintf(w, "%s — %s\n\n", r.ID, r.Name)
	fmt.Fprintf(w, "pack:              %s %s (%s)\n", r.Pack.Name, r.Pack.Version, r.Pack.File)
	fmt.Fprintf(w, "severity:          %s (security-severity %.1f, precision %s)\n", r.Severity, r.SecuritySeverity, r.Precision)
	fmt.Fprintf(w, "languages:         %s\n", strings.Join(langs, ", "))
	if len(r.Tags) > 0 {
		fmt.Fprintf(w, "tags:              %s\n", strings.Join(r.Tags, ", "))
	}
	for _, id := range r.Attack {
		fmt.Fprintf(w, "ATT&CK:            %s %s\n", id, rules.AttackName(id))
	}
	for _, id := range r.CWE {
		fmt.Fprintf(w, "CWE:               %s %s\n", id, rules.CWEName(id))
	}
	fmt.Fprintf(w, "message:           %s\n", r.Message)
	switch {
	case r.Calls != nil:
		for _, g := range r.Calls {
			fmt.Fprintf(w, "calls:             %s\n", strings.Join(g.Names(), ", "))
		}
	case r.Query != nil:
		for _, l := range source.Langs {
			if q := r.Query.Source[l]; q != "" {
				fmt.Fprintf(w, "query (%s):\n%s\n", l, indent(q))
			}
		}
	}
	fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(r.Help))
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "    " + l
	}
	return strings.Join(lines, "\n")
}
