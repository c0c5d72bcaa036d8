package telemetry

import (
	_ "embed"

	"glassbox/analyzers/gotypes/taintssa"
)

//go:embed doc.go
var doc string

// pack keeps this analyzer's facts apart from other packs' analyzers.
type pack struct{}

// Analyzer reports host data that reaches the network.
var Analyzer = taintssa.New[pack](taintssa.Config{
	Name:  "telemetry",
	Doc:   taintssa.DocOf(doc),
	Packs: []string{"telemetry"},
})
