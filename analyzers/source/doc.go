// Package source turns the bytes of a file under review into text the parser and the report
// can agree on. It decides the language of a file (by extension, and by content for `.h`),
// detects its encoding (UTF-8, UTF-16 with or without a byte-order mark, and the legacy code
// pages Windows-era trees are full of), transcodes what is not UTF-8 so tree-sitter sees valid
// UTF-8, and maps byte offsets back to the 1-based lines and UTF-16 columns SARIF expects.
//
// It sits right after the walker in the data flow: raw bytes in, Text out. Line numbers are
// those of the original file: transcoding never adds or removes a line break, and CR, LF and
// CRLF each end one line.
package source
