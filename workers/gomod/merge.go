package gomod

import (
	"slices"

	"glassbox/analyzers/finding"
	"glassbox/rules"
	"glassbox/workers/scan"
)

// Merge puts the typed analysis into a finished scan: in every Go file the typed analysis
// covered, the tree-sitter findings of taint rules give way to the typed ones; pattern
// rules' findings stay, as do the findings of files it did not cover. Typed findings count
// only in files the scan read (the walk's excludes and limits apply to both engines).
func Merge(res *scan.Result, typed *Result, set *rules.Set) {
	if typed == nil {
		return
	}
	scanned := map[string]bool{}
	for _, a := range res.Files {
		scanned[a.Path] = true
	}
	covered := typed.Covered()
	kept := make([]finding.Finding, 0, len(res.Findings))
	for _, f := range res.Findings {
		if r := set.Rule(f.RuleID); r != nil && r.Taint != nil && covered[f.Location.Path] && scanned[f.Location.Path] {
			continue
		}
		kept = append(kept, f)
	}
	res.Findings = kept
	for _, f := range typed.Findings {
		if scanned[f.Location.Path] {
			res.Findings = append(res.Findings, f)
		}
	}
	res.Findings = finding.Sort(res.Findings)
	res.Notifications = append(res.Notifications, typed.Notifications...)
	slices.SortFunc(res.Notifications, finding.CompareNotifications)
}
