// Package syntax is glassbox's window on tree-sitter. It parses C, C++ and Go into trees
// (one parser per goroutine, with a time budget), compiles and runs tree-sitter queries with
// predicates evaluated in Go, and answers the questions every rule asks of a tree: which calls
// are here and what do they call (through wrapper macros, qualified names, imports and local
// declarations), what is the value of this string literal, is this expression a constant, and
// which function encloses this node.
//
// It sits between source (text) and the rule matchers: it knows languages and trees, not
// rules. Trees are not safe for concurrent use; queries are, and are compiled once per
// process and shared.
package syntax
