// Package rules defines glassbox rule packs: the YAML schema reviewers write, the loader that
// turns a pack into validated rules, the built-in packs, and the ATT&CK and CWE names rules
// refer to.
//
// Loading happens in two steps, as in ast-grep: YAML is decoded into plain structs whose
// fields are checked by name (an unknown field is an error with a suggestion), then every
// value is validated and compiled into Rule. A bad pack fails at load time with
// `file:line: rule "id": what is wrong`, before any file is read; nothing about a pack can
// fail later at match time.
//
// rules sits before the analyzers in the data flow: it knows what rules say, not how they are
// matched. It never imports workers or report.
package rules
