package endpoint

// ASCII character classes. Endpoints outside URLs are ASCII by definition here (IDNs are
// matched in their punycode form), so byte tests are both exact and fast.

func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
func isLetter(c byte) bool    { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isHex(c byte) bool       { return isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f') }
func isIdentByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// isDigits reports whether s is non-empty and all decimal digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isLetterRune(r rune) bool { return r < 0x80 && isLetter(byte(r)) }
