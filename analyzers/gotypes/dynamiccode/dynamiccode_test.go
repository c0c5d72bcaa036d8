package dynamiccode_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"glassbox/analyzers/gotypes/dynamiccode"
)

// TestAnalyzer checks the planted cases of testdata/src/a: scripts and templates from the
// network handed to an interpreter (through a struct field, and in a chained call whose
// receiver only types name), network bytes written into another process, and constant or
// local content that must not be reported. The github.com and golang.org packages under
// testdata stand in for the libraries the packs name.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), dynamiccode.Analyzer, "a")
}
