package syntax

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// pointAt converts a byte offset of src to a tree-sitter point (row, byte column).
func pointAt(src string, off int) sitter.Point {
	row := strings.Count(src[:off], "\n")
	col := off - (strings.LastIndex(src[:off], "\n") + 1)
	return sitter.Point{Row: uint32(row), Column: uint32(col)}
}
