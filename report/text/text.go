// Package text writes a scan as compiler-style lines, `file:line:col: severity: message
// [rule-id]`, which editors and terminals turn into clickable locations. Notifications follow
// the findings in the same shape, with the notification kind in brackets, and a one-line
// summary ends the output.
package text

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"glassbox/report"
)

// Writer writes the text format.
type Writer struct{}

// Write renders s. Paths are relative to the scan root.
func (Writer) Write(w io.Writer, s *report.Scan) error {
	bw := bufio.NewWriter(w)
	for _, f := range s.Findings {
		r := s.Rules.Rule(f.RuleID)
		if r == nil {
			return fmt.Errorf("text: finding for unknown rule %q", f.RuleID)
		}
		reg := f.Location.Region
		fmt.Fprintf(bw, "%s:%d:%d: %s: %s [%s]\n", f.Location.Path, reg.StartLine, reg.StartColumn, r.Severity, oneLine(f.Message), f.RuleID)
		for _, st := range f.Flow {
			fmt.Fprintf(bw, "    %s:%d:%d: %s\n", st.Location.Path, st.Location.Region.StartLine, st.Location.Region.StartColumn, oneLine(st.Message))
		}
		// Further paths by where they start: the SARIF and JSON reports carry them whole.
		for _, p := range f.Paths {
			st := p[0]
			fmt.Fprintf(bw, "    also from %s:%d:%d: %s\n", st.Location.Path, st.Location.Region.StartLine, st.Location.Region.StartColumn, oneLine(st.Message))
		}
	}
	for _, n := range s.Notifications {
		loc := n.Path
		if loc == "" {
			loc = "glassbox"
		} else if n.Line > 0 {
			loc = fmt.Sprintf("%s:%d", n.Path, n.Line)
		}
		fmt.Fprintf(bw, "%s: %s: %s [%s]\n", loc, n.Level, firstLine(n.Message), n.ID)
	}
	fmt.Fprintf(bw, "%d finding(s) in %d file(s); %d notification(s).\n", len(s.Findings), len(s.Files), len(s.Notifications))
	return bw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// firstLine keeps a notification to one line (an internal error carries a stack trace that
// belongs in SARIF, not in a terminal).
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

var _ report.Writer = Writer{}
