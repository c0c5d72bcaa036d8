// Package dynamiccode defines an Analyzer that runs glassbox's dynamic-code taint rules.
//
// # Analyzer dynamiccode
//
// dynamiccode: report downloaded content that is loaded or run
//
// Downloaded content that is loaded or run: files fetched from the network and then started
// or loaded, network bytes made executable or written into another process, and scripts,
// templates and expressions from the network handed to an interpreter.
//
// The analyzer runs the taint rules of the dynamic-code pack over the SSA form of Go
// packages, with summaries that cross package boundaries as facts. The -rules flag adds the taint
// rules of a reviewer's packs (a YAML file or a directory).
package dynamiccode
