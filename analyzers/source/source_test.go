package source

import (
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = append(b, 0xFF, 0xFE)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func utf16be(s string) []byte {
	b := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u>>8), byte(u))
	}
	return b
}

func mustEncode(t *testing.T, s string, e interface {
	Bytes([]byte) ([]byte, error)
}) []byte {
	t.Helper()
	b, err := e.Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const russian = "// Отправка данных на сервер управления\nint send_report(void); /* отчёт */\n"
const japaneseText = "// サーバーへデータを送信する\nint send_report(void); /* 報告 */\n"
const chinese = "// 发送数据到控制服务器\nint send_report(void); /* 报告内容 */\n"
const western = "// Données envoyées à la société mère\nint send_report(void); /* ça */\n"

func TestDecode(t *testing.T) {
	tests := []struct {
		name  string
		raw   []byte
		force string
		enc   string
		text  string
	}{
		{"utf-8", []byte("int x; // é\n"), "", UTF8, "int x; // é\n"},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, "int x;\n"...), "", UTF8BOM, "int x;\n"},
		{"utf-16le bom", utf16le("int x; // ü\r\n", true), "", UTF16LE, "int x; // ü\r\n"},
		{"utf-16be bom", utf16be("int x;\n"), "", UTF16BE, "int x;\n"},
		{"utf-16le no bom", utf16le("#include <windows.h>\r\nint main(void) { return 0; }\r\n", false), "", UTF16LE, "#include <windows.h>\r\nint main(void) { return 0; }\r\n"},
		{"windows-1251", mustEncode(t, russian, charmap.Windows1251.NewEncoder()), "", "windows-1251", russian},
		{"windows-1252", mustEncode(t, western, charmap.Windows1252.NewEncoder()), "", "windows-1252", western},
		{"shift_jis", mustEncode(t, japaneseText, japanese.ShiftJIS.NewEncoder()), "", "shift_jis", japaneseText},
		{"gbk", mustEncode(t, chinese, simplifiedchinese.GBK.NewEncoder()), "", "gbk", chinese},
		{"forced koi8-r", mustEncode(t, russian, charmap.KOI8R.NewEncoder()), "koi8-r", "koi8-r", russian},
		{"utf-8 with stray cp1251 comment",
			append([]byte("char *s = \"Grüße aus München\"; // "), mustEncode(t, "привет\n", charmap.Windows1251.NewEncoder())...),
			"", "utf-8+windows-1251", "char *s = \"Grüße aus München\"; // привет\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(tc.raw, tc.force)
			if err != nil {
				t.Fatal(err)
			}
			if got.Encoding != tc.enc {
				t.Errorf("encoding = %q, want %q", got.Encoding, tc.enc)
			}
			if string(got.Content) != tc.text {
				t.Errorf("content = %q, want %q", got.Content, tc.text)
			}
		})
	}
}

func TestDecodeBinary(t *testing.T) {
	if _, err := Decode([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), ""); err != ErrBinary {
		t.Fatalf("err = %v, want ErrBinary", err)
	}
}

// TestPositions checks lines and columns against the original file, whatever its encoding
// and line ends.
func TestPositions(t *testing.T) {
	tests := []struct {
		name      string
		raw       []byte
		needle    string // found in the decoded content
		line, col int
	}{
		{"lf", []byte("a\nbb\nccc send\n"), "send", 3, 5},
		{"crlf", []byte("a\r\nbb\r\nccc send\r\n"), "send", 3, 5},
		{"cr only", []byte("a\rbb\rccc send\r"), "send", 3, 5},
		{"mixed", []byte("a\r\nbb\nc\rdd send\n"), "send", 4, 4},
		{"utf-8 columns count characters", []byte("// é\nx = \"ü\"; send\n"), "send", 2, 10},
		{"astral characters count two", []byte("s = \"😀\"; send"), "send", 1, 11},
		{"cp1251 columns", mustEncode(t, "/* привет */ send\n", charmap.Windows1251.NewEncoder()), "send", 1, 14},
		{"utf-16 lines", utf16le("a\r\n\r\n  send(x);\r\n", true), "send", 3, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, err := Decode(tc.raw, "")
			if err != nil {
				t.Fatal(err)
			}
			off := strings.Index(string(text.Content), tc.needle)
			line, col := text.Position(off)
			if line != tc.line || col != tc.col {
				t.Errorf("Position = %d:%d, want %d:%d", line, col, tc.line, tc.col)
			}
			r := text.Region(off, off+len(tc.needle))
			if r.Snippet != tc.needle || r.EndLine != tc.line || r.EndColumn != tc.col+len(tc.needle) {
				t.Errorf("Region = %+v", r)
			}
		})
	}
}

func TestContextAndLines(t *testing.T) {
	text := NewText([]byte("first\r\n  second call(\r\n    arg);\r\nlast"))
	off := strings.Index(string(text.Content), "call")
	end := strings.Index(string(text.Content), ";")
	ctx := text.Context(text.Region(off, end))
	if ctx == nil || ctx.StartLine != 1 || ctx.EndLine != 4 || ctx.Snippet != "first\r\n  second call(\r\n    arg);\r\nlast" || ctx.StartColumn != 1 {
		t.Errorf("Context = %+v", ctx)
	}
	whole := NewText([]byte("send(s);"))
	if c := whole.Context(whole.Region(0, 8)); c != nil {
		t.Errorf("a region that is the whole file has a context: %+v", c)
	}
	long := NewText([]byte(strings.Repeat("x\n", 40)))
	if c := long.Context(long.Region(0, 60)); c != nil {
		t.Errorf("a 30-line region has a context: %+v", c)
	}
	if text.Lines() != 4 || text.Line(4) != "last" || text.Line(1) != "first" {
		t.Errorf("Lines = %d, Line(1) = %q, Line(4) = %q", text.Lines(), text.Line(1), text.Line(4))
	}
}

func TestSnippetIsClippedOnARuneBoundary(t *testing.T) {
	long := strings.Repeat("é", MaxSnippet)
	text := NewText([]byte(long))
	s := text.Region(0, len(long)).Snippet
	if !strings.HasSuffix(s, "…") || len(s) > MaxSnippet+len("…") {
		t.Fatalf("snippet of %d bytes not clipped: %d bytes", len(long), len(s))
	}
	if !strings.HasPrefix(s, "é") || strings.ContainsRune(s, '\uFFFD') {
		t.Error("snippet cut inside a character")
	}
}

func TestLanguages(t *testing.T) {
	tests := []struct {
		name   string
		lang   Lang
		ok     bool
		header bool
	}{
		{"a.c", C, true, false}, {"a.C", C, true, false}, {"x/y.cpp", CPP, true, false}, {"a.CXX", CPP, true, false},
		{"a.c++", CPP, true, false}, {"a.hpp", CPP, true, false}, {"a.hh", CPP, true, false}, {"a.ipp", CPP, true, false},
		{"a.go", Go, true, false}, {"a.h", C, true, true}, {"a.H", C, true, true},
		{"a.py", "", false, false}, {"Makefile", "", false, false}, {"a.cs", "", false, false},
	}
	for _, tc := range tests {
		f, ok := NewFile(tc.name, []byte("x"))
		if ok != tc.ok || f.Lang != tc.lang || f.Header != tc.header {
			t.Errorf("NewFile(%q) = %v %v header=%v, want %v %v %v", tc.name, f.Lang, ok, f.Header, tc.lang, tc.ok, tc.header)
		}
	}
	if f, _ := NewFile("a.c", []byte("abc")); f.SHA256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("SHA256 = %s", f.SHA256)
	}
}

func TestDetectHeader(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Lang
	}{
		{"c header", "#ifndef A_H\n#define A_H\n#ifdef __cplusplus\nextern \"C\" {\n#endif\nint f(void);\nstruct s { int a; };\n#endif\n", C},
		{"class", "#pragma once\nclass Agent : public Base {\npublic:\n  void Run();\n};\n", CPP},
		{"namespace", "namespace av {\nint f();\n}\n", CPP},
		{"template", "template <typename T>\nT max(T a, T b) { return a > b ? a : b; }\n", CPP},
		{"std", "#include <vector>\nint f(std::vector<int> &v);\n", CPP},
		{"class in a comment", "/* the class Foo { } idea */\n// namespace x {\nint f(void);\n", C},
		{"struct with virtual-like name", "struct virtualdesk { int n; };\n", C},
		{"inline code of a class defined elsewhere", "#include \"KernelManager.h\"\nDWORD f(SOCKET s)\n{\n\treturn CKernelManager::m_nMasterPort;\n}\n", CPP},
		{"new and delete", "void f(void) { char *p = new char[10]; delete [] p; }\n", CPP},
		{"a newline and renew in C", "int renew(int new_size);\n/* new */ int x = new_size;\n", C},
	}
	for _, tc := range tests {
		if got := DetectHeader([]byte(tc.src)); got != tc.want {
			t.Errorf("%s: DetectHeader = %s, want %s", tc.name, got, tc.want)
		}
	}
}
