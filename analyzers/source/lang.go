package source

import (
	"path"
	"regexp"
	"strings"
)

// Lang is a language glassbox parses.
type Lang string

// The languages glassbox parses.
const (
	C   Lang = "c"
	CPP Lang = "cpp"
	Go  Lang = "go"
)

// Langs lists every language, in a fixed order.
var Langs = []Lang{C, CPP, Go}

// ParseLang reads a language name as used in rule packs and on the command line.
func ParseLang(s string) (Lang, bool) {
	switch strings.ToLower(s) {
	case "c":
		return C, true
	case "cpp", "c++", "cxx", "cplusplus":
		return CPP, true
	case "go", "golang":
		return Go, true
	}
	return "", false
}

// SARIFName is the language's conventional name in SARIF's artifact.sourceLanguage.
func (l Lang) SARIFName() string {
	if l == CPP {
		return "cplusplus"
	}
	return string(l)
}

var byExt = map[string]Lang{
	".c":  C,
	".cc": CPP, ".cpp": CPP, ".cxx": CPP, ".c++": CPP,
	".hpp": CPP, ".hh": CPP, ".hxx": CPP, ".ipp": CPP, ".inl": CPP, ".tpp": CPP,
	".go": Go,
}

// LangByName returns the language a file name implies without looking at its content. A
// `.h` header reports ok with C: the caller decides with DetectHeader once it has the bytes.
// Extensions are matched case-insensitively because Windows trees mix `.C`, `.CPP` and `.H`.
func LangByName(name string) (Lang, bool) {
	ext := strings.ToLower(path.Ext(name))
	if ext == ".h" {
		return C, true
	}
	l, ok := byExt[ext]
	return l, ok
}

// cppSignals are constructs that cannot appear in a C header. `extern "C"` is deliberately
// absent: C headers carry it inside #ifdef __cplusplus guards. (String literals are not
// stripped: "a::b" in a C header's string makes it C++, which parses C all the same.)
var cppSignals = regexp.MustCompile(`(?m)` +
	`^\s*(?:template\s*<|namespace\s+[\w:]*\s*\{|using\s+namespace\b|(?:public|private|protected)\s*:)` +
	`|\bclass\s+\w+(?:\s+final)?\s*(?::\s*(?:public|private|protected)?\s*[\w:<>]+\s*)?\{` +
	`|\bstd::|\bvirtual\s+[\w:~]|\bnullptr\b|\boperator\s*(?:==|=|\(\)|\[\]|<<|>>|new|delete)` +
	// C has no scope operator at all, nor new and delete.
	`|\w::~?\w|\bnew\s+[A-Za-z_]\w*\s*[\[(;]|\bdelete\s*\[\s*\]` +
	`|^\s*#\s*include\s*<(?:iostream|string|vector|map|memory|algorithm|functional|mutex|thread|sstream|fstream|set|list|deque|unordered_map|atomic|chrono|cstdio|cstdlib|cstring|cstdint)>`)

// headerScan bounds the bytes DetectHeader reads: the signals appear early in real headers.
const headerScan = 64 << 10

// DetectHeader decides whether a `.h` file holds C or C++ from its (UTF-8) text. C++ projects
// put classes, templates and inline methods in `.h` files, and parsing those as C produces
// error trees that hide calls.
func DetectHeader(text []byte) Lang {
	if len(text) > headerScan {
		text = text[:headerScan]
	}
	if cppSignals.Match(stripComments(text)) {
		return CPP
	}
	return C
}

// stripComments blanks // and /* */ comments so prose like "the class Foo { ... }" in a
// comment does not make a C header C++. String literals are left alone: a rare mistake there
// costs far less than a full lexer here.
func stripComments(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	for i := 0; i+1 < len(out); i++ {
		switch {
		case out[i] == '/' && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case out[i] == '/' && out[i+1] == '*':
			j := i
			for ; j+1 < len(out) && !(out[j] == '*' && out[j+1] == '/'); j++ {
				if out[j] != '\n' {
					out[j] = ' '
				}
			}
			for k := j; k < len(out) && k < j+2; k++ {
				out[k] = ' '
			}
			i = j + 1
		}
	}
	return out
}
