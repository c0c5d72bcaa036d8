package rules

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalid is wrapped by every load error, so callers can tell a bad pack (exit 2, fix the
// pack) from an I/O failure.
var ErrInvalid = errors.New("rules: invalid rule pack")

// Problem is one thing wrong with a pack, located in its file.
type Problem struct {
	File string
	Line int
	Rule string // the rule's id, when the problem is inside a rule
	Msg  string
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	if p.Rule != "" {
		return fmt.Sprintf("%s: rule %q: %s", loc, p.Rule, p.Msg)
	}
	return loc + ": " + p.Msg
}

// Error lists every problem found in one or more packs, in file and line order.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *Error) Unwrap() error { return ErrInvalid }

// problems collects Problems while a pack is validated.
type problems struct {
	file string
	list []Problem
}

func (ps *problems) add(line int, rule, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: line, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	slices.SortStableFunc(ps.list, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return &Error{Problems: ps.list}
}
