// Package telemetry defines an Analyzer that reports host data reaching the network.
//
// # Analyzer telemetry
//
// telemetry: report host data that reaches the network
//
// The analyzer runs the taint rules of glassbox's telemetry pack over the SSA form of Go
// packages: file contents, directory listings, host identity, process lists, registry
// values, environment, clipboard, keystrokes, screenshots and credentials, followed through
// calls, closures, method values, goroutines, channels and struct fields to a socket write,
// an HTTP request or a DNS query. Calls through interfaces reach the implementations the
// analysis has seen, and a sink declared on an interface (net.Conn.Write) matches every type
// that implements it. Summaries cross package boundaries as facts.
//
// The -rules flag adds the taint rules of a reviewer's packs (a YAML file or a directory).
package telemetry
