package syntax

// MaxDepth bounds every recursive walk glassbox makes over a tree. Generated or hostile code
// can nest expressions thousands deep; past this depth the analysis stops descending, and the
// file gets a notification saying so (see Nesting).
const MaxDepth = 500

// Nesting returns the deepest bracket nesting of (), [] and {} in src, skipping string and
// character literals and comments. It is a byte scan, far cheaper than walking the tree, and
// tells the per-file stage when a file is nested beyond MaxDepth.
func Nesting(src []byte) int {
	depth, deepest := 0, 0
	for i := 0; i < len(src); i++ {
		switch b := src[i]; b {
		case '(', '[', '{':
			depth++
			deepest = max(deepest, depth)
		case ')', ']', '}':
			depth = max(0, depth-1)
		case '"', '\'', '`':
			i = skipQuoted(src, i, b)
		case '/':
			i = skipComment(src, i)
		}
	}
	return deepest
}

func skipQuoted(src []byte, i int, q byte) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if q != '`' {
				j++
			}
		case q:
			return j
		case '\n':
			if q != '`' {
				return j // an unterminated literal ends at the line, as the compilers do
			}
		}
	}
	return len(src)
}

func skipComment(src []byte, i int) int {
	if i+1 >= len(src) {
		return i
	}
	switch src[i+1] {
	case '/':
		for j := i + 2; j < len(src); j++ {
			if src[j] == '\n' {
				return j
			}
		}
		return len(src)
	case '*':
		for j := i + 2; j+1 < len(src); j++ {
			if src[j] == '*' && src[j+1] == '/' {
				return j + 1
			}
		}
		return len(src)
	}
	return i
}
