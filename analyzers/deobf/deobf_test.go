package deobf

import (
	"context"
	"slices"
	"testing"

	"glassbox/analyzers/source"
	"glassbox/analyzers/syntax"
)

func find(t *testing.T, lang source.Lang, src string) []Decoded {
	t.Helper()
	p := syntax.NewParser(0)
	defer p.Close()
	tree, err := p.Parse(context.Background(), lang, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	return Find(tree, func(names []string) bool {
		return slices.Contains(names, "b64") || slices.Contains(names, "encoding/base64.StdEncoding.DecodeString")
	})
}

func TestFind(t *testing.T) {
	tests := []struct {
		name, lang, src string
		want            []string // technique:value
	}{
		{"xor with a define", "c", "#define K 0x10\nunsigned char s[] = {0x78,0x64,0x64,0x60};\nvoid f(){ for(int i=0;i<4;i++) s[i] ^= K; }", []string{"xor:http"}},
		{"xor with a multi-byte key", "c", "char k[] = \"ab\";\nunsigned char s[] = {0x11,0x10,0x0e,0x04};\nvoid f(char*o){ for(int i=0;i<4;i++) o[i] = s[i] ^ k[i % 2]; }", []string{"xor:prof"}},
		{"sub loop", "c", "unsigned char s[] = {0x6a,0x77,0x71,0x7a};\nvoid f(){ int i=0; while(i<4){ s[i] -= 2; i++; } }", []string{"sub:huox"}},
		{"decoder function", "c", "unsigned char s[] = {0x22,0x2f,0x26,0x22,0x23};\nvoid d(unsigned char *b, int n, int k){ for(int i=0;i<n;i++) b[i] ^= k; }\nvoid g(){ d(s, 5, 0x41); }", []string{"xor:cngcb"}},
		{"stack string", "c", "void f(){ char s[8]; s[0]='c'; s[1]='a'; s[2]='l'; s[3]='c'; s[4]=0; }", []string{"stack:calc"}},
		{"char list", "c", "void f(){ char s[] = {'n','e','t',' ','u','s','e','r',0}; }", []string{"stack:net user"}},
		{"a file-scope character table is data, not a stack string", "c", "static const char info[] = {'c','o','m','p','i','l','e','r',0};", nil},
		{"base64 literal", "c", "void f(){ b64(\"aGVsbG8gd29ybGQ=\"); }", []string{"base64:hello world"}},
		{"go xor", "go", "package a\nvar s = []byte{0x78, 0x64, 0x64, 0x60, 0x63}\nfunc f() { for i := range s { s[i] ^= 0x10 } }", []string{"xor:https"}},
		{"go base64", "go", "package a\nimport \"encoding/base64\"\nfunc f() { base64.StdEncoding.DecodeString(\"Y21kLmV4ZQ==\") }", []string{"base64:cmd.exe"}},
		{"binary result is not a string", "c", "unsigned char s[] = {0x01,0x02,0x03,0x04};\nvoid f(){ for(int i=0;i<4;i++) s[i] ^= 0xFF; }", nil},
		{"a key that is not constant", "c", "unsigned char s[] = {0x78,0x64,0x64,0x60};\nvoid f(int k){ for(int i=0;i<4;i++) s[i] ^= rand(); }", nil},
		{"numbers in order are not a string", "c", "void f(int *t){ t[0]=1; t[1]=2; t[2]=3; t[3]=4; }", nil},
		{"short stack strings are noise", "c", "void f(char *s){ s[0]='o'; s[1]='k'; }", nil},
		{"not base64", "c", "void f(){ b64(\"not base64!\"); }", nil},
		// Mirai's string table: literals stored by one function, decoded in place by a loop
		// over a struct field with four key bytes taken from a global.
		{"a table filled elsewhere, keys from a global", "c", "unsigned int table_key = 0xdeadbeef;\n" +
			"void init(void){ add_entry(1, \"\\x41\\x4C\\x41\\x0C\\x4F\\x47\\x22\", 7); add_entry(2, \"plain text\", 10); }\n" +
			"static void toggle(struct tv *v){ unsigned char k1 = table_key & 0xff, k2 = (table_key >> 8) & 0xff,\n" +
			"  k3 = (table_key >> 16) & 0xff, k4 = (table_key >> 24) & 0xff;\n" +
			"  for (int i = 0; i < v->len; i++) { v->val[i] ^= k1; v->val[i] ^= k2; v->val[i] ^= k3; v->val[i] ^= k4; } }",
			[]string{"xor:cnc.me"}},
		{"a decoder that copies its parameter, called through a wrapper", "c",
			"static char *deobf(char *str, int *len){ char *cpy = malloc(8); util_memcpy(cpy, str, 8);\n" +
				"  for (int i = 0; i < 8; i++) { cpy[i] ^= 0xDE; cpy[i] ^= 0xAD; cpy[i] ^= 0xBE; cpy[i] ^= 0xEF; } return cpy; }\n" +
				"static void add_auth(char *u, char *p){ int n; deobf(u, &n); deobf(p, &n); }\n" +
				"void init(void){ add_auth(\"\\x50\\x4D\\x4D\\x56\", \"\\x43\\x46\\x4F\\x4B\\x4C\"); }",
			[]string{"xor:root", "xor:admin"}},
		{"an orphan key leaves unescaped and undecodable literals alone", "c",
			"void f(struct tv *v){ for (int i = 0; i < v->len; i++) v->val[i] ^= 0x22; }\n" +
				"const char *a = \"\\x01\\x02\\x03\\x04\\x05\"; const char *b = \"ordinary words\";",
			nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range find(t, source.Lang(tc.lang), tc.src) {
				got = append(got, d.Technique+":"+d.Value)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Find = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestFindGo covers the Go idioms: byte-slice literals decoded in range and index loops,
// append and strings.Builder decoding, decoder functions called with inline literals, garble's
// key-range loop, rune lists, appended stack strings and base64 literals and constants.
func TestFindGo(t *testing.T) {
	const b64 = "import \"encoding/base64\"\n"
	tests := []struct {
		name, src string
		want      []string // technique:value
	}{
		// decoding loops
		{"xor in place over a range", "func f() { enc := []byte{0x32, 0x2e, 0x2e, 0x2a}\n for i := range enc { enc[i] ^= 0x5a } }", []string{"xor:http"}},
		{"sub in an index loop", "func f() { enc := []byte{0x6b, 0x70, 0x67, 0x31}\n for i := 0; i < len(enc); i++ { enc[i] = enc[i] - 3 } }", []string{"sub:hmd."}},
		{"add with a typed constant", "const shift byte = 2\nvar enc = [...]byte{0x61, 0x6b, 0x62, 0x2c, 0x63, 0x76, 0x63}\nfunc f() { for i := range enc { enc[i] += shift } }", []string{"add:cmd.exe"}},
		{"range value appended", "func f() []byte { enc := []byte{0x49, 0x55, 0x55, 0x51}\n var out []byte\n for _, c := range enc { out = append(out, c^0x21) }\n return out }", []string{"xor:htt" + "p"}},
		{"strings.Builder with a converted key", "func f() string { enc := []byte{0x65, 0x6b, 0x62, 0x2c}\n key := byte(2)\n var sb strings.Builder\n for i := 0; i < len(enc); i++ { sb.WriteByte(enc[i] + key) }\n return sb.String() }", []string{"add:gmd."}},
		{"string concatenation", "func f() (s string) { for _, c := range []byte{0x72, 0x6e, 0x6e, 0x6a} { s += string(c ^ 0x1a) }\n return }", []string{"xor:htt" + "p"}},
		{"key from []byte conversion, cyclic", "func f() { key := []byte(\"ab\")\n enc := []byte{0x11, 0x10, 0x0e, 0x04}\n out := make([]byte, len(enc))\n for i := range enc { out[i] = enc[i] ^ key[i%len(key)] } }", []string{"xor:prof"}},
		{"garble: the range walks the key", "func f() string { data := []byte(\"\\x11\\x10\\x0e\\x04\")\n key := []byte(\"abab\")\n for i, b := range key { data[i] = data[i] ^ b }\n return string(data) }", []string{"xor:prof"}},
		{"range value with a cyclic key", "var k = []byte{0x61, 0x62}\nfunc f() { enc := []byte{0x11, 0x10, 0x0e, 0x04}\n out := make([]byte, 4)\n for i, c := range enc { out[i] = c ^ k[i%2] } }", []string{"xor:prof"}},
		{"each function its own enc", "func f() { enc := []byte{0x32, 0x2e, 0x2e, 0x2a}\n for i := range enc { enc[i] ^= 0x5a } }\nfunc g() { enc := []byte{0x6b, 0x70, 0x67, 0x31}\n for i := range enc { enc[i] -= 3 } }", []string{"xor:http", "sub:hmd."}},
		{"a nested loop is reported once", "func f() { enc := []byte{0x32, 0x2e, 0x2e, 0x2a}\n for { for i := range enc { enc[i] ^= 0x5a } } }", []string{"xor:http"}},
		// decoder functions
		{"decoder called with an inline literal", "func xorDecode(b []byte, k byte) string { out := make([]byte, len(b))\n for i := range b { out[i] = b[i] ^ k }\n return string(out) }\nfunc g() { _ = xorDecode([]byte{0x32, 0x2e, 0x2e, 0x2a}, 0x5a) }", []string{"xor:http"}},
		{"decoder with a table key", "func dec(data, key []byte) []byte { for i := range data { data[i] ^= key[i%len(key)] }\n return data }\nvar tbl = []byte{0x11, 0x10, 0x0e, 0x04}\nfunc g() { dec(tbl, []byte(\"ab\")) }", []string{"xor:prof"}},
		{"decoder method with a string table", "type c struct{}\nfunc (c *c) unshift(s string, n byte) string { var sb strings.Builder\n for _, r := range []byte(s) { sb.WriteByte(r - n) }\n return sb.String() }\nfunc g(x *c) { x.unshift(\"jvwr\", 2) }", []string{"sub:htup"}},
		{"a parameter hides a table", "var b = []byte{0x32, 0x2e, 0x2e, 0x2a}\nfunc d(b []byte, k byte) { for i := range b { b[i] ^= k } }\nfunc g() { d([]byte{0x6b, 0x70, 0x67, 0x31}, 0x01) }", []string{"xor:jqf0"}},
		// base64
		{"base64 literal", b64 + "func f() { base64.StdEncoding.DecodeString(\"Y21kLmV4ZQ==\") }", []string{"base64:cmd.exe"}},
		{"base64 constant", b64 + "const cfg = \"Y21kLmV4ZQ==\"\nfunc f() { base64.StdEncoding.DecodeString(cfg) }", []string{"base64:cmd.exe"}},
		{"base64 then xor", b64 + "func f() { data, _ := base64.StdEncoding.DecodeString(\"Mi4uKg==\")\n for i := range data { data[i] ^= 0x5a } }", []string{"xor:http"}},
		// stack strings
		{"byte list", "func f() string { return string([]byte{'c', 'm', 'd', '.', 'e', 'x', 'e'}) }", []string{"stack:cmd.exe"}},
		{"rune list", "func f() string { return string([]rune{'п', 'у', 'т', 'ь'}) }", []string{"stack:путь"}},
		{"appends", "func f() string { var b []byte\n b = append(b, 'c')\n b = append(b, 'a', 'l')\n b = append(b, 'c')\n return string(b) }", []string{"stack:calc"}},
		{"builder writes", "func f() string { var sb strings.Builder\n sb.WriteByte('w')\n sb.WriteRune('h')\n sb.WriteByte('o')\n sb.WriteString(\"a\")\n sb.WriteByte('m')\n sb.WriteByte('i')\n return sb.String() }", []string{"stack:whoami"}},
		{"string +=", "func f() string { s := \"\"\n s += \"n\"\n s += string('e')\n s += \"t\"\n s += \"s\"\n return s }", []string{"stack:nets"}},
		{"array stores", "func f() { var s [8]byte\n s[0] = 'c'\n s[1] = 'a'\n s[2] = 'l'\n s[3] = 'c' }", []string{"stack:calc"}},
		{"strings.Map shift", "import \"strings\"\nfunc f() string { return strings.Map(func(r rune) rune { return r - 1 }, \"ibdl\") }", []string{"sub:hack"}},
		{"strings.Map xor, key first", "import \"strings\"\nconst k = 0x20\nvar enc = \"CALC\"\nfunc f() string { return strings.Map(func(c rune) rune {\n return k ^ c\n }, enc) }", []string{"xor:calc"}},
		// negatives
		{"strings.Map of a variable", "import \"strings\"\nfunc f(s string) string { return strings.Map(func(r rune) rune { return r - 1 }, s) }", nil},
		{"strings.Map that is not a cipher", "import \"strings\"\nfunc f() string { return strings.Map(func(r rune) rune { if r == '-' { return -1 }\n return r }, \"a-b-c-d-e\") }", nil},
		{"a key from the network", "func f(buf []byte) { enc := []byte{0x32, 0x2e, 0x2e, 0x2a}\n k := buf[0]\n for i := range enc { enc[i] ^= k } }", nil},
		{"a constant key reassigned", "func f(buf []byte) { enc := []byte{0x32, 0x2e, 0x2e, 0x2a}\n k := 0x5a\n k = int(buf[0])\n for i := range enc { enc[i] ^= byte(k) } }", nil},
		{"a local hides a file-level table", "var enc = []byte{0x32, 0x2e, 0x2e, 0x2a}\nfunc f() { enc := readConfig()\n for i := range enc { enc[i] ^= 0x5a } }", nil},
		{"websocket unmasking", "func unmask(p []byte, mask []byte) { for i := range p { p[i] ^= mask[i%4] } }\nfunc g(frame []byte) { unmask(frame[6:], frame[2:6]) }", nil},
		{"decoder called with data from the network", "func xorDecode(b []byte, k byte) string { out := make([]byte, len(b))\n for i := range b { out[i] = b[i] ^ k }\n return string(out) }\nfunc g(msg []byte) { _ = xorDecode(msg[1:], msg[0]) }", nil},
		{"a checksum", "var tbl = []uint32{0x00000000, 0x77073096}\nfunc crc(p []byte) (c uint32) { for _, b := range p { c = tbl[byte(c)^b] ^ (c >> 8) }\n return }", nil},
		{"an accumulating xor", "func sum(p []byte) (s byte) { for _, b := range p { s = s ^ b }\n return }", nil},
		{"plain literals", "func f() string { u := \"https://example.com\"\n return u }", nil},
		{"base64 of binary data", b64 + "func f() { base64.StdEncoding.DecodeString(\"iVBORw0KGgoAAAANSUhEUg==\") }", nil},
		{"short lists are noise", "func f() string { return string([]byte{'o', 'k'}) }", nil},
		{"a list with a variable", "func f(x byte) []byte { return []byte{'a', x, 'b', 'c', 'd'} }", nil},
		{"appended variables", "func f(x, y, z, w byte) []byte { var b []byte\n b = append(b, x)\n b = append(b, y)\n b = append(b, z)\n b = append(b, w)\n return b }", nil},
		{"numbers are not characters", "func f() []byte { return []byte{1, 2, 3, 4, 5} }", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range find(t, source.Go, "package a\n"+tc.src) {
				got = append(got, d.Technique+":"+d.Value)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Find = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestFindCPP covers C++ range loops and string appends, which share the Go machinery.
func TestFindCPP(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"range loop push_back", "static unsigned char enc[] = {0x32, 0x2e, 0x2e, 0x2a};\nstd::string f() { std::string s; for (auto c : enc) s.push_back(c ^ 0x5A); return s; }", []string{"xor:http"}},
		{"push_back stack string", "std::string f() { std::string s; s.push_back('c'); s.push_back('a'); s.push_back('l'); s.push_back('c'); return s; }", []string{"stack:calc"}},
		{"decoder with a table key", "static unsigned char tbl[] = {0x11, 0x10, 0x0e, 0x04};\nvoid dec(unsigned char *d, int n, const char *key) { for (int i = 0; i < n; i++) d[i] ^= key[i % 2]; }\nvoid g() { dec(tbl, 4, \"ab\"); }", []string{"xor:prof"}},
		{"a range loop over a parameter", "void f(const std::string &in, std::string &out) { for (char c : in) out.push_back(c ^ 0x20); }", nil},
		{"wide character list", "void f(){ wchar_t h[] = { L'c', L'a', L'l', L'c', 0 }; }", []string{"stack:calc"}},
		{"subscript stores", "void f(){ std::string v(6, 0); v[0] = 'u'; v[1] = 'p'; v[2] = 'l'; v[3] = 'o'; v[4] = 'a'; v[5] = 'd'; }", []string{"stack:upload"}},
		{"a key written as characters is not a string of its own",
			"static const unsigned char key[] = { 'Q', '7', 'x', '!' };\nstatic unsigned char enc[] = {0x39, 0x43, 0x0c, 0x51};\nvoid f(){ for (int i = 0; i < 4; i++) enc[i] ^= key[i % 4]; }",
			[]string{"xor:" + string([]byte{0x39 ^ 'Q', 0x43 ^ '7', 0x0c ^ 'x', 0x51 ^ '!'})}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range find(t, source.CPP, tc.src) {
				got = append(got, d.Technique+":"+d.Value)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Find = %q, want %q", got, tc.want)
			}
		})
	}
}
