package telemetry_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"glassbox/analyzers/gotypes/telemetry"
)

// TestAnalyzer checks the planted cases of testdata/src/a: interface calls, concrete types
// implementing a sink's interface, closures, method values, goroutines and channels, struct
// fields, flows across packages through facts, and data that must not be reported.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), telemetry.Analyzer, "a")
}
