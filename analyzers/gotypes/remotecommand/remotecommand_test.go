package remotecommand_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"glassbox/analyzers/gotypes/remotecommand"
)

// TestAnalyzer checks the planted cases of testdata/src/a: dispatchers on a reader wrapped
// around a connection, on a command table fed through a channel, and in HTTP handlers
// registered by name and as a method value; network input reaching process creation and
// file removal directly, through an interface and in another package; and a local argument
// parser that must not be reported.
func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), remotecommand.Analyzer, "a")
}

// TestInterfaceInAnotherPackage: a handler calls a program interface whose implementation
// lives in a package it does not import; the flow completes where both are wired together.
func TestInterfaceInAnotherPackage(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), remotecommand.Analyzer, "wiring")
}
