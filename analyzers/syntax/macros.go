package syntax

import (
	"bytes"
	"strings"
)

// Windows headers decorate declarations with macros the parser cannot know: calling
// conventions (`DWORD WINAPI ThreadProc(LPVOID p)`), export and inline markers, and SAL
// annotations (`_In_ LPCWSTR name`, `_Out_writes_(n) char *buf`). Left in, they turn whole
// function definitions into ERROR nodes and hide every call inside them. They carry nothing
// glassbox needs, so they are blanked — replaced by spaces of the same length, which keeps
// every byte offset, line and column — before C and C++ are parsed.

// decorations are whole-word macros that stand alone.
var decorations = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`WINAPI WINAPIV APIENTRY CALLBACK PASCAL NTAPI NTSYSAPI NTSYSCALLAPI STDAPI
		STDMETHODCALLTYPE WINBASEAPI WINUSERAPI WINADVAPI WSAAPI RPC_ENTRY __stdcall _stdcall __cdecl _cdecl __fastcall
		__thiscall __vectorcall __clrcall FORCEINLINE __forceinline DECLSPEC_NOINLINE DECLSPEC_IMPORT DECLSPEC_EXPORT
		EXTERN_C _In_ _In_opt_ _Out_ _Out_opt_ _Inout_ _Inout_opt_ _Reserved_ _In_z_ _In_opt_z_ _Outptr_ _Outptr_opt_
		_Outptr_result_maybenull_ _Check_return_ _Must_inspect_result_ _Ret_maybenull_ _Ret_notnull_ _Frees_ptr_
		_Frees_ptr_opt_ _Post_invalid_ _Printf_format_string_ _Analysis_noreturn_ _Null_terminated_ _NullNull_terminated_
		__in __in_opt __out __out_opt __inout __inout_opt __reserved __nullterminated`) {
		decorations[w] = true
	}
}

// annotationPrefixes start macros that take an argument list: SAL sizes (_Out_writes_(n),
// _In_reads_bytes_(len)), __declspec(…), __attribute__((…)).
var annotationPrefixes = []string{"_In_", "_Out_", "_Inout_", "_Outptr_", "_Ret_", "_Deref_out_", "_Field_", "_Success_",
	"_When_", "_Pre_", "_Post_", "_At_", "_Struct_", "__declspec", "__attribute__", "__in_bcount", "__out_bcount",
	"__in_ecount", "__out_ecount", "__inout_bcount", "__inout_ecount"}

// blankDecorations returns src with decoration macros replaced by spaces, or src itself when
// it has none. It scans identifiers by hand: this runs on every C and C++ file, and a regular
// expression of sixty alternatives cost as much as a tenth of the parse.
func blankDecorations(src []byte) []byte {
	out := src
	copied := false
	for i := 0; i < len(src); {
		c := src[i]
		if !isIdentStart(c) || i > 0 && isIdentPart(src[i-1]) {
			i++
			continue
		}
		j := i + 1
		for j < len(src) && isIdentPart(src[j]) {
			j++
		}
		word := src[i:j]
		end := -1
		switch {
		case decorations[string(word)]:
			end = j
		case (word[0] == '_') && hasAnnotationPrefix(word):
			k := j
			for k < len(src) && (src[k] == ' ' || src[k] == '\t') {
				k++
			}
			if k < len(src) && src[k] == '(' {
				end = closeParen(src, k)
			}
		}
		if end > 0 {
			if !copied {
				out, copied = bytes.Clone(src), true
			}
			blank(out, i, end)
			j = max(j, end)
		}
		i = j
	}
	return out
}

func hasAnnotationPrefix(word []byte) bool {
	for _, p := range annotationPrefixes {
		if bytes.HasPrefix(word, []byte(p)) {
			return true
		}
	}
	return false
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || c >= '0' && c <= '9' }

// closeParen returns the index just past the parenthesis that closes the one at open, or
// open+1 when it is not closed on the same logical statement.
func closeParen(b []byte, open int) int {
	depth := 0
	for i := open; i < len(b) && i < open+512; i++ {
		switch b[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		case ';', '{':
			return open + 1
		}
	}
	return open + 1
}

// blank replaces b[from:to] with spaces, keeping line breaks.
func blank(b []byte, from, to int) {
	for i := from; i < to && i < len(b); i++ {
		if b[i] != '\n' && b[i] != '\r' {
			b[i] = ' '
		}
	}
}
