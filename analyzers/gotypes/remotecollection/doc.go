// Package remotecollection defines an Analyzer that runs glassbox's remote-collection taint rules.
//
// # Analyzer remotecollection
//
// remotecollection: report collection that someone else steers
//
// Collection that someone else steers: a path received from the network that is opened or
// listed and whose contents are then sent back, collected documents searched for sensitive
// keywords before upload, and behaviour gated on the host's identity or locale.
//
// The analyzer runs the taint rules of the remote-collection pack over the SSA form of Go
// packages, with summaries that cross package boundaries as facts. The -rules flag adds the taint
// rules of a reviewer's packs (a YAML file or a directory).
package remotecollection
