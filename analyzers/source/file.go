package source

import (
	"crypto/sha256"
	"encoding/hex"
)

// File is one file handed to analysis: its content exactly as read from disk and what the
// walker knows of it. It carries content rather than a path so that analysis can run where
// the scan root is not (a remote worker).
type File struct {
	Path   string `json:"path"`             // slash-separated, relative to the scan root
	Lang   Lang   `json:"lang"`             // by name; a .h file is C until DetectHeader decides
	Header bool   `json:"header,omitempty"` // a .h file whose language is decided by content
	SHA256 string `json:"sha256"`           // hex SHA-256 of Raw
	Raw    []byte `json:"-"`
}

// NewFile builds a File for content read from path, hashing it once.
func NewFile(path string, raw []byte) (File, bool) {
	lang, ok := LangByName(path)
	if !ok {
		return File{}, false
	}
	sum := sha256.Sum256(raw)
	return File{Path: path, Lang: lang, Header: isHeader(path), SHA256: hex.EncodeToString(sum[:]), Raw: raw}, true
}

func isHeader(p string) bool {
	n := len(p)
	return n >= 2 && (p[n-2:] == ".h" || p[n-2:] == ".H")
}
