package deobf

import (
	"strings"
	"unicode"

	"glassbox/analyzers/syntax"
)

// orphanKey is the constant key of a decoding loop whose data the file does not name: the
// loop decodes a field of a table that another function fills with literals, as Mirai's
// toggle_obf decodes table[id].val, filled by add_entry(TABLE_CNC_DOMAIN, "\x41\x4C…", 30).
type orphanKey struct {
	key  []byte
	text string
	how  string
}

// orphanLiterals tries the file's orphan keys on its encoded-looking string literals —
// written mostly as \x escapes, as tools that encrypt strings emit them — and reports those
// a key turns into text. Literals a decoder call already decoded are left alone.
func (x *finder) orphanLiterals() {
	if len(x.orphans) == 0 {
		return
	}
	t := x.t
	for i := 0; i < t.Len(); i++ {
		n := syntax.Node(i)
		if t.Kind(n) != "string_literal" || x.decodedArgs[n] || x.layered[n] || t.Kind(t.Parent(n)) == "concatenated_string" {
			continue
		}
		v, ok := t.StringValue(n)
		if !ok || !escaped(t.Text(n), len(v)) {
			continue
		}
		for _, k := range x.orphans {
			if s, ok := printable(decode([]byte(v), k.key, k.how)); ok && wordy(s) {
				x.out = append(x.out, Decoded{Node: n, Technique: k.how, Key: k.text, Value: s})
				break
			}
		}
	}
}

// escaped reports whether a literal's source writes at least half of its n bytes as \x or
// octal escapes.
func escaped(src string, n int) bool {
	if n < MinLength {
		return false
	}
	esc := strings.Count(src, `\x`)
	for i := 0; i+1 < len(src); i++ {
		if src[i] == '\\' && src[i+1] >= '0' && src[i+1] <= '7' {
			esc++
		}
	}
	return esc*2 >= n
}

// wordy reports whether a guessed decoding reads as text: half of it letters and digits, with
// a run of three. Any key turns some bytes into punctuation; few turn them into words.
func wordy(s string) bool {
	alnum, run, best := 0, 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			alnum++
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return alnum*2 >= len([]rune(s)) && best >= 3
}
