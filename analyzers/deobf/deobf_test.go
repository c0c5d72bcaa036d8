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
		{"base64 literal", "c", "void f(){ b64(\"aGVsbG8gd29ybGQ=\"); }", []string{"base64:hello world"}},
		{"go xor", "go", "package a\nvar s = []byte{0x78, 0x64, 0x64, 0x60, 0x63}\nfunc f() { for i := range s { s[i] ^= 0x10 } }", []string{"xor:https"}},
		{"go base64", "go", "package a\nimport \"encoding/base64\"\nfunc f() { base64.StdEncoding.DecodeString(\"Y21kLmV4ZQ==\") }", []string{"base64:cmd.exe"}},
		{"binary result is not a string", "c", "unsigned char s[] = {0x01,0x02,0x03,0x04};\nvoid f(){ for(int i=0;i<4;i++) s[i] ^= 0xFF; }", nil},
		{"a key that is not constant", "c", "unsigned char s[] = {0x78,0x64,0x64,0x60};\nvoid f(int k){ for(int i=0;i<4;i++) s[i] ^= rand(); }", nil},
		{"numbers in order are not a string", "c", "void f(int *t){ t[0]=1; t[1]=2; t[2]=3; t[3]=4; }", nil},
		{"short stack strings are noise", "c", "void f(char *s){ s[0]='o'; s[1]='k'; }", nil},
		{"not base64", "c", "void f(){ b64(\"not base64!\"); }", nil},
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
