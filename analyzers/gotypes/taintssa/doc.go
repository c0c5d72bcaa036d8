// Package taintssa is the typed counterpart of package taint: it follows the same rule packs'
// sources, sinks, propagators, sanitizers, comparisons and dispatch actions over the SSA form
// of Go packages that build, as golang.org/x/tools/go/analysis analyzers, and reports the
// same findings (rule ids, messages, properties, locations and fingerprint keys) with the
// precision of types: c.Do(req) is (*net/http.Client).Do whatever c is called, a call through
// an interface reaches the implementations the analysis has seen, a method value is still
// its method, a net.Conn wrapped in a bufio.Reader is still network input.
//
// Each analyzer (one per pack, in analyzers/gotypes/...) is made by New. Per package it:
//
//   - builds a dataflow graph of every function from its SSA form: SSA values, what
//     allocated objects hold (buffers, maps, channels, captured variables), and hubs —
//     struct fields and package variables, one per field for the whole program, the way the
//     tree-sitter engine keys receiver state — with points-to inside the function so that a
//     buffer a callee fills is the buffer that is later sent;
//   - names every call the way the packs do (import/path.Func, import/path.Type.Method,
//     import/path.Var.Method, *.Method), adding the model interfaces the receiver's type
//     implements, and matches sources, sinks, then-sinks and dispatch actions;
//   - computes, callees first and to a fixpoint in recursive cycles, each function's
//     summary per rule group: which parameters, hubs and origins reach its results,
//     out-parameters, hubs, sinks and comparisons. Calls into code outside the analysis
//     use the library's propagators and sanitizers, and otherwise pass their arguments to
//     their results, as the tree-sitter engine does;
//   - exports summaries as object facts on functions and methods, and the package's part
//     of the program (what reaches hubs, what hubs reach, the hits found) as a package fact,
//     so that dependents finish flows that cross packages;
//   - turns hits into findings exactly as analyzers/taint does, and reports each as a
//     diagnostic at the best position in the package.
package taintssa
