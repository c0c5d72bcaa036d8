package rules

import (
	"regexp"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// Pack is a loaded, validated rule pack.
type Pack struct {
	Name        string
	Version     string
	Description string
	// File is where the pack came from: "builtin:egress.yaml" or a path as given.
	File string
	// Digest is the SHA-256 of the pack's bytes: it names the pack in caches and provenance.
	Digest string
	// Raw is the pack file as loaded, so that the pack can be shipped to remote workers,
	// which load it again and get the same rules and digest.
	Raw   []byte
	Rules []*Rule
}

// Rule is one validated rule. Exactly one of Calls and Query is set.
type Rule struct {
	ID          string
	Name        string
	Description string // one paragraph; Name when the pack gives none
	Severity    finding.Level
	// SecuritySeverity is GitHub code scanning's 0–10 score.
	SecuritySeverity float64
	Precision        string // very-high, high, medium or low
	Languages        []source.Lang
	Tags             []string
	Attack           []string // MITRE ATT&CK technique ids
	CWE              []string // "CWE-359"
	Message          string   // template: {placeholders} are filled at match time
	Help             string   // markdown
	Calls            []CallGroup
	Query            *Query
	Pack             *Pack
	Line             int // where the rule starts in its pack file
}

// HasLang reports whether the rule applies to l.
func (r *Rule) HasLang(l source.Lang) bool {
	for _, x := range r.Languages {
		if x == l {
			return true
		}
	}
	return false
}

// CallGroup is a set of callee names sharing argument constraints and properties.
type CallGroup struct {
	// Names are in the convention of syntax.Call.Names, with Windows A/W/Ex variants
	// already expanded.
	Names      []string
	Languages  []source.Lang
	Args       []ArgCheck
	Properties map[string]string
}

// HasLang reports whether the group applies to l.
func (g *CallGroup) HasLang(l source.Lang) bool {
	for _, x := range g.Languages {
		if x == l {
			return true
		}
	}
	return false
}

// ArgCheck constrains one argument of a call. Every set condition must hold.
type ArgCheck struct {
	Index    int            // 0-based
	Equals   []string       // the argument's literal value, or its text, is one of these
	Regex    *regexp.Regexp // matches the literal value, or the text
	NotRegex *regexp.Regexp // does not match the literal value, or the text
	String   *bool          // is (true) or is not (false) a string literal
	Constant *bool          // is (true) or is not (false) a compile-time constant
}

// Query is a raw tree-sitter query per language. Capture names the capture whose node is
// the finding's location.
type Query struct {
	Capture string
	Source  map[source.Lang]string
}
