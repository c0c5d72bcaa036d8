package sarif

import (
	"cmp"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/report"
)

// artifacts are run.artifacts, sorted by path, and the index of each path in them.
type artifacts struct {
	list  []*sarif.Artifact
	index map[string]uint
}

// newArtifacts describes every file of s.Files. A file a result points at must be an
// artifact, so a finding's file missing from s.Files (a bug upstream) is added with an
// unknown length rather than left dangling.
func newArtifacts(s *report.Scan) *artifacts {
	files := slices.Clone(s.Files) // never reorder the caller's slice
	known := map[string]bool{}
	for _, f := range files {
		known[f.Path] = true
	}
	for _, p := range findingPaths(s.Findings) {
		if !known[p] {
			known[p] = true
			files = append(files, finding.Artifact{Path: p, Length: -1})
		}
	}
	slices.SortStableFunc(files, func(a, b finding.Artifact) int { return cmp.Compare(a.Path, b.Path) })
	files = slices.CompactFunc(files, func(a, b finding.Artifact) bool { return a.Path == b.Path })

	arts := &artifacts{list: make([]*sarif.Artifact, len(files)), index: make(map[string]uint, len(files))}
	for i, f := range files {
		arts.list[i] = newArtifact(f)
		arts.index[f.Path] = uint(i)
	}
	return arts
}

// findingPaths lists every file the findings point at, their flows, further paths and related
// locations included, in first-seen order.
func findingPaths(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Location.Path)
		for _, st := range f.Steps() {
			out = append(out, st.Location.Path)
		}
	}
	return out
}

// newArtifact describes one file.
func newArtifact(f finding.Artifact) *sarif.Artifact {
	a := &sarif.Artifact{
		Location: &sarif.ArtifactLocation{URI: ptr(relativeURI(f.Path)), URIBaseId: ptr(srcRoot)},
		Length:   int(f.Length),
		Encoding: nonEmpty(ianaCharset(f.Encoding)),
	}
	if a.Length < 0 {
		a.Length = -1 // SARIF's "unknown"
	}
	if f.SHA256 != "" {
		a.Hashes = map[string]string{"sha-256": f.SHA256}
	}
	if f.Lang != "" {
		a.SourceLanguage = ptr(source.Lang(f.Lang).SARIFName())
	}
	return a
}

// ref points at the artifact of path: uri and base id always (GitHub reads only the uri),
// plus its index when the path is an artifact.
func (arts *artifacts) ref(path string) *sarif.ArtifactLocation {
	loc := &sarif.ArtifactLocation{URI: ptr(relativeURI(path)), URIBaseId: ptr(srcRoot)}
	if i, ok := arts.index[path]; ok {
		loc.Index = ptr(i)
	}
	return loc
}

// ianaNames maps glassbox's encoding names (analyzers/source) to IANA charset names, which is
// what SARIF's artifact.encoding holds. Most already are; cp866's IANA name is IBM866.
var ianaNames = map[string]string{
	"utf-8-bom": "utf-8",
	"cp866":     "ibm866",
}

// ianaCharset returns the IANA name of a glassbox encoding. "utf-8+windows-1251" (UTF-8 with
// stray bytes in a legacy code page) is reported as the code page: it is the one a consumer
// needs to read the bytes that are not UTF-8.
func ianaCharset(enc string) string {
	enc = strings.ToLower(enc)
	if _, legacy, ok := strings.Cut(enc, "+"); ok {
		enc = legacy
	}
	if n, ok := ianaNames[enc]; ok {
		return n
	}
	return enc
}
