// Command glassbox-vet runs glassbox's typed Go analyzers — telemetry, remotecommand,
// remotecollection and dynamiccode — over Go packages, driven by the same rule packs as
// `glassbox scan`.
//
// Under go vet it speaks the unitchecker protocol, so the analyzers fit go vet, CI and
// editor drivers, with summaries kept as facts between packages:
//
//	go vet -vettool=$(command -v glassbox-vet) ./...
//
// Run directly, it loads the packages itself (multichecker):
//
//	glassbox-vet ./...
//	glassbox-vet -telemetry.rules=mine.yaml ./...
//
// Each analyzer's -rules flag adds the taint rules of a reviewer's packs.
package main

import (
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/analysis/unitchecker"

	"glassbox/analyzers/gotypes/dynamiccode"
	"glassbox/analyzers/gotypes/remotecollection"
	"glassbox/analyzers/gotypes/remotecommand"
	"glassbox/analyzers/gotypes/telemetry"
)

var analyzers = []*analysis.Analyzer{
	telemetry.Analyzer,
	remotecommand.Analyzer,
	remotecollection.Analyzer,
	dynamiccode.Analyzer,
}

func main() {
	if vetInvocation(os.Args[1:]) {
		unitchecker.Main(analyzers...)
	}
	multichecker.Main(analyzers...)
}

// vetInvocation reports whether go vet started the tool: it passes one unit's .cfg file
// last, or asks the tool to describe itself with -V=full or -flags.
func vetInvocation(args []string) bool {
	if len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		return true
	}
	for _, a := range args {
		if a == "-flags" || strings.HasPrefix(a, "-V=") {
			return true
		}
	}
	return false
}
