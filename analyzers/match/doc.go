// Package match runs the pattern rules of a rule set (`calls` and `query`) over parsed files.
// New compiles a rules.Set once per process — callee names into lookup tables, every query
// rule of a language into one tree-sitter query — and a Matcher is then shared by all
// workers: matching a file costs one pass over its calls and one query execution, whatever
// the number of rules.
//
// It sits after syntax (trees) and rules (what to look for) and before report: trees in,
// finding.Finding out.
package match
