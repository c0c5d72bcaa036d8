package source

import (
	"sort"
	"unicode/utf8"

	"glassbox/analyzers/finding"
)

// Text is a file's content as UTF-8, with the index that maps byte offsets to positions.
type Text struct {
	// Content is what the parser sees: the file's bytes when they are UTF-8, otherwise the
	// file transcoded to UTF-8 with every line break kept.
	Content []byte
	// Encoding names the file's encoding (UTF8, UTF16LE, "windows-1251", ...).
	Encoding string
	lines    []int // byte offset where each line starts
}

func newText(content []byte, enc string) *Text {
	return &Text{Content: content, Encoding: enc, lines: lineStarts(content)}
}

// NewText wraps content that is already UTF-8 (tests and generated code use it).
func NewText(content []byte) *Text { return newText(content, UTF8) }

// lineStarts finds where lines start. CR, LF and CRLF each end a line, so files with old Mac
// or mixed line ends get the line numbers an editor shows (the SARIF writer declares all
// three in newlineSequences, since SARIF's default counts only CRLF and LF).
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts
}

// Lines is the number of lines in the text.
func (t *Text) Lines() int { return len(t.lines) }

// Position maps a byte offset to a 1-based line and a 1-based column in UTF-16 code units.
func (t *Text) Position(off int) (line, col int) {
	off = max(0, min(off, len(t.Content)))
	i := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	return i + 1, 1 + utf16Len(t.Content[t.lines[i]:off])
}

// LineStart returns the byte offset of a 1-based line (clamped to the text).
func (t *Text) LineStart(line int) int {
	line = max(1, min(line, len(t.lines)))
	return t.lines[line-1]
}

// LineEnd returns the byte offset where a 1-based line's text ends, before its terminator.
func (t *Text) LineEnd(line int) int {
	line = max(1, min(line, len(t.lines)))
	end := len(t.Content)
	if line < len(t.lines) {
		end = t.lines[line]
	}
	for end > t.lines[line-1] && (t.Content[end-1] == '\n' || t.Content[end-1] == '\r') {
		end--
	}
	return end
}

// Line returns the text of a 1-based line without its terminator.
func (t *Text) Line(line int) string {
	return string(t.Content[t.LineStart(line):t.LineEnd(line)])
}

// MaxSnippet bounds the snippet a region carries: a query can match a whole function, and a
// report must not become a copy of the code base.
const MaxSnippet = 1024

// Region describes the byte span [start, end) with positions and a snippet.
func (t *Text) Region(start, end int) finding.Region {
	start = max(0, min(start, len(t.Content)))
	end = max(start, min(end, len(t.Content)))
	sl, sc := t.Position(start)
	el, ec := t.Position(end)
	return finding.Region{StartLine: sl, StartColumn: sc, EndLine: el, EndColumn: ec,
		Snippet: clip(t.Content[start:end])}
}

// maxContextLines bounds a context region; a result spanning more lines gets none.
const maxContextLines = 12

// Context describes the whole lines around a region — the line before, the region's lines
// and the line after — for SARIF's contextRegion, which must strictly contain the region.
// It returns nil when no such region exists (a one-line file matched whole) or when the
// region is too long to be worth repeating.
func (t *Text) Context(r finding.Region) *finding.Region {
	last := r.EndLine
	if r.EndColumn == 1 && r.EndLine > r.StartLine {
		last-- // a span ending at column 1 does not touch that line
	}
	first, last := max(1, r.StartLine-1), min(t.Lines(), last+1)
	if last-first+1 > maxContextLines {
		return nil
	}
	c := t.Region(t.LineStart(first), t.LineEnd(last))
	if c.StartLine == r.StartLine && c.StartColumn == r.StartColumn && c.EndLine == r.EndLine && c.EndColumn == r.EndColumn {
		return nil
	}
	return &c
}

// clip returns b as a string of at most MaxSnippet bytes, cut on a rune boundary.
func clip(b []byte) string {
	if len(b) <= MaxSnippet {
		return string(b)
	}
	cut := MaxSnippet
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}

// utf16Len counts UTF-16 code units; an invalid byte counts as one, as a replacement
// character would.
func utf16Len(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}
