package source

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// ErrBinary means the bytes hold NUL bytes outside UTF-16 text: the file is not source code.
var ErrBinary = errors.New("source: binary content (NUL bytes)")

// Encoding names, as they appear in artifacts and notifications. "utf-8+windows-1251" names a
// UTF-8 file with stray bytes in a legacy code page (an old comment pasted into new code).
const (
	UTF8    = "utf-8"
	UTF8BOM = "utf-8-bom"
	UTF16LE = "utf-16le"
	UTF16BE = "utf-16be"
)

// legacy lists the code pages glassbox can read, by the names --encoding accepts.
var legacy = map[string]encoding.Encoding{
	"windows-1250": charmap.Windows1250,
	"windows-1251": charmap.Windows1251,
	"windows-1252": charmap.Windows1252,
	"iso-8859-1":   charmap.ISO8859_1,
	"koi8-r":       charmap.KOI8R,
	"cp866":        charmap.CodePage866,
	"shift_jis":    japanese.ShiftJIS,
	"euc-jp":       japanese.EUCJP,
	"gbk":          simplifiedchinese.GBK,
	"gb18030":      simplifiedchinese.GB18030,
	"big5":         traditionalchinese.Big5,
	"euc-kr":       korean.EUCKR,
}

// LegacyEncodings lists the names accepted by Decode's force argument.
func LegacyEncodings() []string {
	return slices.Sorted(maps.Keys(legacy))
}

// ValidEncoding reports whether name is a code page Decode can be forced to.
func ValidEncoding(name string) bool {
	_, ok := legacy[strings.ToLower(name)]
	return ok
}

// Decode detects the encoding of raw and returns the file as UTF-8 text whose lines are the
// file's lines. force, when not empty, names the code page to assume for bytes that are not
// UTF-8 instead of guessing. It fails only with ErrBinary.
func Decode(raw []byte, force string) (*Text, error) {
	content, enc, err := toUTF8(raw, strings.ToLower(force))
	if err != nil {
		return nil, err
	}
	return newText(loneCRToLF(content), enc), nil
}

func toUTF8(raw []byte, force string) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		return raw[3:], UTF8BOM, nil
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return fromUTF16(raw, unicode.LittleEndian, unicode.ExpectBOM), UTF16LE, nil
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return fromUTF16(raw, unicode.BigEndian, unicode.ExpectBOM), UTF16BE, nil
	}
	if order, ok := sniffUTF16(raw); ok {
		name := UTF16LE
		if order == unicode.BigEndian {
			name = UTF16BE
		}
		return fromUTF16(raw, order, unicode.IgnoreBOM), name, nil
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return nil, "", ErrBinary
	}
	if utf8.Valid(raw) {
		return raw, UTF8, nil
	}
	if force != "" {
		if enc, ok := legacy[force]; ok {
			return decodeWith(raw, enc), force, nil
		}
	}
	if mostlyUTF8(raw) {
		name := guessSingleByte(strayBytes(raw))
		return mixedToUTF8(raw, legacy[name].(*charmap.Charmap)), UTF8 + "+" + name, nil
	}
	name := guessLegacy(raw)
	return decodeWith(raw, legacy[name]), name, nil
}

// loneCRToLF turns carriage returns that end a line on their own (classic Mac OS, or mixed
// line ends) into line feeds, byte for byte: tree-sitter ends comments and preprocessor lines
// only at '\n', and would otherwise read the rest of the file as one comment. Offsets, and so
// lines and columns, are unchanged.
func loneCRToLF(b []byte) []byte {
	copied := false
	for i, c := range b {
		if c != '\r' || i+1 < len(b) && b[i+1] == '\n' {
			continue
		}
		if !copied {
			b = bytes.Clone(b) // never write into the caller's bytes
			copied = true
		}
		b[i] = '\n'
	}
	return b
}

func fromUTF16(raw []byte, order unicode.Endianness, bom unicode.BOMPolicy) []byte {
	if len(raw)%2 == 1 {
		raw = raw[:len(raw)-1] // a truncated final code unit cannot be decoded
	}
	out, err := unicode.UTF16(order, bom).NewDecoder().Bytes(raw)
	if err != nil {
		// The decoder replaces bad surrogates rather than failing; this is unreachable in
		// practice, but a file must never be lost to it.
		return bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	return out
}

// sniffUTF16 recognises UTF-16 without a byte-order mark, which some Windows editors write:
// source text is mostly ASCII, so one byte of each pair is NUL.
func sniffUTF16(raw []byte) (unicode.Endianness, bool) {
	n := min(len(raw), 4096) &^ 1
	if n < 8 {
		return unicode.BigEndian, false
	}
	var evenNUL, oddNUL int
	for i := 0; i < n; i += 2 {
		if raw[i] == 0 {
			evenNUL++
		}
		if raw[i+1] == 0 {
			oddNUL++
		}
	}
	pairs := n / 2
	switch {
	case oddNUL*10 >= pairs*7 && evenNUL*20 <= pairs:
		return unicode.LittleEndian, true
	case evenNUL*10 >= pairs*7 && oddNUL*20 <= pairs:
		return unicode.BigEndian, true
	}
	return unicode.BigEndian, false
}

func decodeWith(raw []byte, enc encoding.Encoding) []byte {
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	return out
}

// mostlyUTF8 reports whether more of raw's high bytes form valid UTF-8 sequences than not:
// then it is a UTF-8 file with stray legacy bytes (an old comment pasted into new code), not a
// legacy file. Double-byte legacy text forms valid sequences by accident, but far fewer
// (under half, measured on Shift-JIS and GBK prose) than it has invalid bytes.
func mostlyUTF8(raw []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(raw); {
		if raw[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size <= 1 {
			invalid++
			i++
			continue
		}
		valid += size
		i += size
	}
	return valid > 0 && valid >= invalid
}

// strayBytes returns the bytes of raw that are not valid UTF-8, with a space wherever valid
// text came between them, so that the code page guess sees the stray words alone.
func strayBytes(raw []byte) []byte {
	var out []byte
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size <= 1 {
			out = append(out, raw[i])
		} else if len(out) > 0 && out[len(out)-1] != ' ' {
			out = append(out, ' ')
		}
		i += max(size, 1)
	}
	return out
}

// mixedToUTF8 keeps valid UTF-8 and reads each invalid byte in the single-byte code page cm.
func mixedToUTF8(raw []byte, cm *charmap.Charmap) []byte {
	out := make([]byte, 0, len(raw)+len(raw)/8)
	for i := 0; i < len(raw); {
		r, size := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && size <= 1 {
			out = utf8.AppendRune(out, cm.DecodeByte(raw[i]))
			i++
			continue
		}
		out = append(out, raw[i:i+size]...)
		i += size
	}
	return out
}

// guessLegacy picks the most plausible code page for bytes that are not UTF-8. The guess only
// decides how snippets read and how columns count; lines and analysis do not depend on it.
// Shift-JIS shows itself by kana. Cyrillic CP1251 is tested before GBK because short Russian
// words also decode as valid GBK pairs; it is recognised by words that are runs of letters in
// 0xC0–0xFF, where GBK text puts a good share of its bytes in 0x80–0xBF. Western text has
// accents between ASCII letters.
func guessLegacy(raw []byte) string {
	if ok, kana, halfwidth, _ := profile(raw, japanese.ShiftJIS); ok && kana > 0 && halfwidth*4 <= kana {
		return "shift_jis"
	}
	if looksCyrillic(raw) {
		return "windows-1251"
	}
	if ok, _, _, ideographs := profile(raw, simplifiedchinese.GBK); ok && ideographs > 0 && evenRuns(raw) {
		return "gbk"
	}
	return "windows-1252"
}

// guessSingleByte chooses between windows-1251 and windows-1252.
func guessSingleByte(raw []byte) string {
	if looksCyrillic(raw) {
		return "windows-1251"
	}
	return "windows-1252"
}

// looksCyrillic reports whether high bytes come in word-long runs (2.5 bytes or more on
// average) that are nearly all CP1251 letters (0xC0–0xFF, Ё and ё).
func looksCyrillic(raw []byte) bool {
	var runs, high, letters int
	inRun := false
	for _, b := range raw {
		if b < 0x80 {
			inRun = false
			continue
		}
		high++
		if b >= 0xC0 || b == 0xA8 || b == 0xB8 {
			letters++
		}
		if !inRun {
			runs++
			inRun = true
		}
	}
	return runs > 0 && high*2 >= runs*5 && letters*10 >= high*9
}

// profile decodes raw with enc and counts what the result looks like.
func profile(raw []byte, enc encoding.Encoding) (valid bool, kana, halfwidth, ideographs int) {
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return false, 0, 0, 0
	}
	for _, r := range string(out) {
		switch {
		case r == utf8.RuneError:
			return false, 0, 0, 0
		case r >= 0x3040 && r <= 0x30FF:
			kana++
		case r >= 0xFF61 && r <= 0xFF9F:
			halfwidth++
		case r >= 0x4E00 && r <= 0x9FFF:
			ideographs++
		}
	}
	return true, kana, halfwidth, ideographs
}

// evenRuns reports whether every run of high bytes has even length, as double-byte text does.
func evenRuns(raw []byte) bool {
	run := 0
	for _, b := range raw {
		if b >= 0x80 {
			run++
			continue
		}
		if run%2 == 1 {
			return false
		}
		run = 0
	}
	return run%2 == 0
}

// DescribeEncoding is the sentence a notification uses for a file read in a legacy encoding.
func DescribeEncoding(enc string) string {
	return fmt.Sprintf("decoded from %s; lines and columns refer to the original file", enc)
}

// IsLegacy reports whether enc names anything other than plain UTF-8 (with or without BOM).
func IsLegacy(enc string) bool {
	return enc != UTF8 && enc != UTF8BOM && enc != ""
}
