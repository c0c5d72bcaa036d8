package syntax

import (
	"bytes"
	"regexp"
)

// Windows headers decorate declarations with macros the parser cannot know: calling
// conventions (`DWORD WINAPI ThreadProc(LPVOID p)`), export and inline markers, and SAL
// annotations (`_In_ LPCWSTR name`, `_Out_writes_(n) char *buf`). Left in, they turn whole
// function definitions into ERROR nodes and hide every call inside them. They carry nothing
// glassbox needs, so they are blanked — replaced by spaces of the same length, which keeps
// every byte offset, line and column — before C and C++ are parsed.

// decorations are whole-word macros that stand alone.
var decorations = regexp.MustCompile(`\b(?:WINAPI|WINAPIV|APIENTRY|CALLBACK|PASCAL|NTAPI|NTSYSAPI|NTSYSCALLAPI|STDAPI|STDMETHODCALLTYPE|` +
	`WINBASEAPI|WINUSERAPI|WINADVAPI|WSAAPI|RPC_ENTRY|__stdcall|_stdcall|__cdecl|_cdecl|__fastcall|__thiscall|__vectorcall|` +
	`__clrcall|FORCEINLINE|__forceinline|DECLSPEC_NOINLINE|DECLSPEC_IMPORT|DECLSPEC_EXPORT|EXTERN_C|` +
	`_In_|_In_opt_|_Out_|_Out_opt_|_Inout_|_Inout_opt_|_Reserved_|_In_z_|_In_opt_z_|_Outptr_|_Outptr_opt_|` +
	`_Outptr_result_maybenull_|_Check_return_|_Must_inspect_result_|_Success_|_Ret_maybenull_|_Ret_notnull_|_Frees_ptr_|` +
	`_Frees_ptr_opt_|_Post_invalid_|_Printf_format_string_|_Analysis_noreturn_|_Null_terminated_|_NullNull_terminated_|` +
	`__in|__in_opt|__out|__out_opt|__inout|__inout_opt|__reserved|__nullterminated)\b`)

// annotations are macros that take an argument list: SAL sizes and __declspec.
var annotations = regexp.MustCompile(`\b(?:_(?:In|Out|Inout|Outptr|Ret|Deref_out|Field|Success|When|Pre|Post|At|Struct)` +
	`[A-Za-z_]*_|__declspec|__attribute__|__in_bcount|__out_bcount|__in_ecount|__out_ecount|__inout_bcount|__inout_ecount)\s*\(`)

// blankDecorations returns src with decoration macros replaced by spaces, or src itself when
// it has none.
func blankDecorations(src []byte) []byte {
	words := decorations.FindAllIndex(src, -1)
	calls := annotations.FindAllIndex(src, -1)
	if len(words) == 0 && len(calls) == 0 {
		return src
	}
	out := bytes.Clone(src)
	for _, w := range words {
		blank(out, w[0], w[1])
	}
	for _, c := range calls {
		end := closeParen(out, c[1]-1)
		blank(out, c[0], end)
	}
	return out
}

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
