package remotecommand

import (
	_ "embed"

	"glassbox/analyzers/gotypes/taintssa"
)

//go:embed doc.go
var doc string

// pack keeps this analyzer's facts apart from other packs' analyzers.
type pack struct{}

// Analyzer runs the remote-command pack's taint rules.
var Analyzer = taintssa.New[pack](taintssa.Config{
	Name:  "remotecommand",
	Doc:   taintssa.DocOf(doc),
	Packs: []string{"remote-command"},
})
