package telemetry_test

import (
	"path/filepath"
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

// TestReviewerRules runs a reviewer's pack given with -rules next to the telemetry rules.
// The flag stays set: this is the package's last test.
func TestReviewerRules(t *testing.T) {
	dir := analysistest.TestData()
	if err := telemetry.Analyzer.Flags.Set("rules", filepath.Join(dir, "mine.yaml")); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, telemetry.Analyzer, "b")
}
