package syntax

import (
	"bytes"
)

// Real C is full of statements split across preprocessor branches:
//
//	#ifdef SO_ERROR
//	    if (wait_connect(sock, addr, timeout)) {
//	#else
//	    if (connect(sock, addr, len)) {
//	#endif
//
// Tree-sitter parses directives as nodes that must enclose whole constructs, so each such
// split turns everything around it — in ClamAV's freshclam, the whole 1,900-line file — into
// one ERROR node, and every call inside is lost. A compiler sees one branch of each
// conditional; when a file does not parse, glassbox does the same: it blanks the conditional
// directives and every branch but one (with spaces, so offsets, lines and columns stay those
// of the file) and parses again, keeping whichever reading leaves the least code in errors.

// Branch choices for oneBranch.
const (
	firstBranch = iota // the #if branch: usually the platform or feature the code was written for
	lastBranch         // the #else branch: the fallback
)

// condBranch is one branch of an #if group: its directive (with continuation lines) and the
// code after it, up to the group's next directive.
type condBranch struct {
	dirStart, dirEnd int // the directive line(s), up to and including the newline
	bodyEnd          int
	dead             bool // #if 0, #elif 0: never compiled
}

// condGroup is an #if/#ifdef/#ifndef … #endif group.
type condGroup struct {
	branches         []condBranch
	endStart, endEnd int // the #endif line; empty when the file ends first
}

// oneBranch returns src with the directives of its conditional groups blanked and, in each
// group, every branch but the chosen one blanked too; nil when src has no conditionals.
func oneBranch(src []byte, groups []condGroup, choice int) []byte {
	if len(groups) == 0 {
		return nil
	}
	out := bytes.Clone(src)
	for _, g := range groups {
		keep := chosenBranch(g, choice)
		for i, b := range g.branches {
			blank(out, b.dirStart, b.dirEnd)
			if i != keep {
				blank(out, b.dirEnd, b.bodyEnd)
			}
		}
		blank(out, g.endStart, g.endEnd)
	}
	return out
}

// droppedBranches returns the byte ranges of the branch bodies a reading blanks.
func droppedBranches(groups []condGroup, choice int) [][2]int {
	var out [][2]int
	for _, g := range groups {
		keep := chosenBranch(g, choice)
		for i, b := range g.branches {
			if i != keep && b.bodyEnd > b.dirEnd {
				out = append(out, [2]int{b.dirEnd, b.bodyEnd})
			}
		}
	}
	return out
}

// chosenBranch is the index of the branch a reading keeps, or -1 when every branch is dead.
func chosenBranch(g condGroup, choice int) int {
	keep := -1
	for i, b := range g.branches {
		if b.dead {
			continue
		}
		if keep < 0 || choice == lastBranch {
			keep = i
		}
		if choice == firstBranch {
			break
		}
	}
	return keep
}

// conditionals finds the conditional groups of src, in order of their #endif. Directives
// inside block comments are not directives.
func conditionals(src []byte) []condGroup {
	var groups []condGroup
	var stack []condGroup
	inComment := false
	for pos := 0; pos < len(src); {
		lineEnd := pos + lineLen(src[pos:])
		word, cond := "", []byte(nil)
		if !inComment {
			word, cond = directive(src[pos:lineEnd])
		}
		if word == "" {
			inComment = commentState(src[pos:lineEnd], inComment)
			pos = lineEnd
			continue
		}
		end := lineEnd
		for continued(src[pos:end]) && end < len(src) {
			end += lineLen(src[end:])
		}
		switch word {
		case "if", "ifdef", "ifndef":
			stack = append(stack, condGroup{branches: []condBranch{{dirStart: pos, dirEnd: end, dead: word == "if" && zero(cond)}}})
		case "elif", "elifdef", "elifndef", "else":
			if len(stack) > 0 {
				g := &stack[len(stack)-1]
				g.branches[len(g.branches)-1].bodyEnd = pos
				g.branches = append(g.branches, condBranch{dirStart: pos, dirEnd: end, dead: word == "elif" && zero(cond)})
			}
		case "endif":
			if len(stack) > 0 {
				g := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				g.branches[len(g.branches)-1].bodyEnd = pos
				g.endStart, g.endEnd = pos, end
				groups = append(groups, g)
			}
		}
		pos = end
	}
	for i := len(stack) - 1; i >= 0; i-- { // unterminated at the end of the file
		g := stack[i]
		g.branches[len(g.branches)-1].bodyEnd = len(src)
		g.endStart, g.endEnd = len(src), len(src)
		groups = append(groups, g)
	}
	return groups
}

// lineLen is the length of the first line of b, with its newline.
func lineLen(b []byte) int {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return i + 1
	}
	return len(b)
}

// directive returns the keyword of a conditional directive line ("ifdef", "else", …) and the
// rest of the line, or "" when the line is not one.
func directive(line []byte) (string, []byte) {
	s := bytes.TrimLeft(line, " \t")
	if len(s) == 0 || s[0] != '#' {
		return "", nil
	}
	s = bytes.TrimLeft(s[1:], " \t")
	n := 0
	for n < len(s) && s[n] >= 'a' && s[n] <= 'z' {
		n++
	}
	switch w := string(s[:n]); w {
	case "if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif":
		return w, s[n:]
	}
	return "", nil
}

// continued reports whether a directive goes on to the next line (a trailing backslash).
func continued(b []byte) bool {
	b = bytes.TrimRight(b, "\r\n \t")
	return len(b) > 0 && b[len(b)-1] == '\\'
}

// zero reports whether an #if condition is the constant 0: code switched off for good.
func zero(cond []byte) bool {
	if i := bytes.Index(cond, []byte("//")); i >= 0 {
		cond = cond[:i]
	}
	if i := bytes.Index(cond, []byte("/*")); i >= 0 {
		cond = cond[:i]
	}
	c := string(bytes.Trim(cond, " \t\r\n()"))
	return c == "0" || c == "false" || c == "FALSE"
}

// commentState says whether a block comment is open at the end of line, given whether one
// was open at its start. String and character literals are skipped, so "/*" in a string opens
// nothing; a // comment ends the line.
func commentState(line []byte, open bool) bool {
	for i := 0; i < len(line); i++ {
		c := line[i]
		if open {
			if c == '*' && i+1 < len(line) && line[i+1] == '/' {
				open = false
				i++
			}
			continue
		}
		switch {
		case c == '/' && i+1 < len(line) && line[i+1] == '*':
			open = true
			i++
		case c == '/' && i+1 < len(line) && line[i+1] == '/':
			return false
		case c == '"' || c == '\'':
			i = quoteEnd(line, i)
		}
	}
	return open
}
