package remotecollection_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"glassbox/analyzers/gotypes/remotecollection"
)

// TestAnalyzer checks the planted cases of testdata/src/a: paths from the network opened
// and sent back (directly, and through a helper that sends), keyword searches of file
// contents and of names handed to a WalkDir callback and kept in a package variable, host
// checks through a struct field, and look-alikes that must not be reported.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), remotecollection.Analyzer, "a")
}
