// Package remotecommand defines an Analyzer that runs glassbox's remote-command taint rules.
//
// # Analyzer remotecommand
//
// remotecommand: report network input that steers the program
//
// Network input that steers the program: compared against command names by a dispatcher
// whose branches run processes, write or delete files, load code or change the registry (the
// command vocabulary is reported with the actions of every verb), and network input that
// reaches those actions directly. Data that arrives through a connection, an HTTP request
// handed to a handler, or a reader wrapped around either, is followed through calls,
// closures, method values, goroutines, channels and struct fields; a local argument parser
// is not a remote command.
//
// The analyzer runs the taint rules of the remote-command pack over the SSA form of Go
// packages, with summaries that cross package boundaries as facts. The -rules flag adds the taint
// rules of a reviewer's packs (a YAML file or a directory).
package remotecommand
