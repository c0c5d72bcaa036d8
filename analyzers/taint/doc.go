// Package taint follows data through programs: from where host data is collected to where it
// leaves the machine, and from where network input arrives to what it makes the program do.
//
// It works in two stages, split the way the scan is:
//
//   - Extract runs per file, where the workers run. It turns every function of a parsed file
//     into a finding.Function summary: its call sites (with the names a rule may know them
//     by), its comparisons against constants, and the flows between its ports — parameters,
//     results, call arguments and results, globals — each with the hops that carry the data.
//     Extraction knows nothing of rules.
//   - Link runs once, on the coordinator, over the summaries of every file. It resolves calls
//     across files (C static functions stay file-local, C++ methods by qualified name and
//     arity, Go by package and receiver, calls through function-pointer tables, fields and
//     GetProcAddress), applies the rule packs' models (sources, sinks, propagators,
//     sanitizers, callbacks), computes which parameters of each function reach its results
//     and out-parameters (iterated to a fixpoint, so recursion terminates), and follows every
//     source to the sinks it reaches, keeping the path for SARIF code flows.
//
// The analysis is flow-insensitive inside a function and context-sensitive across calls
// (summaries at call sites, unbalanced returns to every caller), the usual trade for code that
// does not build and must still be read whole.
package taint
