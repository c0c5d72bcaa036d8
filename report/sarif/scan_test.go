package sarif

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/report"
	"glassbox/rules"
)

// This file builds the scans the tests write. realisticScan is the golden scan: it holds
// every construct the writer renders, so testdata/golden.sarif shows the whole contract.

// newSet joins packs the way the loader leaves them: every rule points at its pack.
func newSet(t *testing.T, packs ...*rules.Pack) *rules.Set {
	t.Helper()
	for _, p := range packs {
		for _, r := range p.Rules {
			r.Pack = p
		}
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		t.Fatalf("NewSet: %v", err)
	}
	return set
}

// testPacks are four packs with rules that have ATT&CK and CWE ids, known and unknown, rules
// without either, and a rule that has no results.
func testPacks() []*rules.Pack {
	all := []source.Lang{source.C, source.CPP, source.Go}
	return []*rules.Pack{
		{Name: "telemetry", Version: "1.2.0", File: "builtin:telemetry.yaml", Rules: []*rules.Rule{{
			ID: "telemetry/host-identity-upload", Name: "Host identity sent over the network",
			Description: "Data that identifies the host (its name, user, addresses) reaches a network send.",
			Severity:    finding.Error, SecuritySeverity: 7.5, Precision: "medium", Languages: all,
			Tags: []string{"exfiltration", "telemetry"}, Attack: []string{"T1082", "T1041"},
			CWE: []string{"CWE-359", "CWE-201"}, Message: "{source} reaches {sink}",
			Help: "## What it means\n\nHost identity (`gethostname`, `GetComputerNameA`) reaches a **network send**.\n\n" +
				"Confirm by following the code flow; see [T1082](https://attack.mitre.org/techniques/T1082/).\n" +
				"False positives: <none known> & rare.\n",
		}}},
		{Name: "egress", Version: "1.0.0", File: "builtin:egress.yaml", Rules: []*rules.Rule{{
			ID: "egress/socket", Name: "Network socket created", Description: "Network socket created",
			Severity: finding.Note, SecuritySeverity: 2, Precision: "high", Languages: []source.Lang{source.C, source.CPP},
			Tags: []string{"egress", "network", "inventory"}, Attack: []string{"T1095"},
			Message: "{api} creates a network socket", Help: "A socket is created here.\n",
		}, {
			ID: "egress/hardcoded-url", Name: "Hard-coded URL",
			Description: "A URL literal names a network endpoint the program may contact.",
			Severity:    finding.Note, SecuritySeverity: 3, Precision: "high", Languages: all,
			Tags: []string{"egress", "inventory"}, Attack: []string{"T1071.001"},
			Message: "Hard-coded URL {url}", Help: "A URL is written in the code.\n",
		}}},
		{Name: "remote-command", Version: "0.9.1", File: "packs/remote-command.yaml", Rules: []*rules.Rule{{
			ID: "remote-command/dispatcher", Name: "Network command dispatcher",
			Description: "Data received from the network selects which action the program takes.",
			Severity:    finding.Warning, SecuritySeverity: 6.25, Precision: "low", Languages: all,
			Tags: []string{"c2"}, Attack: []string{"T1059", "T1219", "T1999"}, CWE: []string{"CWE-912", "CWE-78"},
			Message: "command {command} dispatched", Help: "A command received from the network is dispatched.\n",
		}}},
		{Name: "obfuscation", Version: "0.3.0", File: "packs/obfuscation.yaml", Rules: []*rules.Rule{{
			ID: "obfuscation/xor-loop", Name: "XOR decode loop",
			Description: "A loop XORs a buffer with a constant key, the usual way to hide strings.",
			Severity:    finding.Warning, SecuritySeverity: 5, Precision: "very-high", Languages: all,
			Tags: []string{"obfuscation"}, CWE: []string{"CWE-656", "CWE-1999"},
			Message: "XOR loop with key {key}", Help: "A buffer is XOR-decoded.\n",
		}}},
	}
}

// loc builds a location of snippet within one line of text, with a context region of that
// whole line. Columns count UTF-16 code units, as glassbox's do.
func loc(path, fn string, line int, snippet, lineText string) finding.Location {
	before, _, ok := strings.Cut(lineText, snippet)
	if !ok {
		panic(fmt.Sprintf("%q is not in %q", snippet, lineText))
	}
	col := utf16Len(before) + 1
	return finding.Location{
		Path:     path,
		Region:   finding.Region{StartLine: line, StartColumn: col, EndLine: line, EndColumn: col + utf16Len(snippet), Snippet: snippet},
		Context:  &finding.Region{StartLine: line, StartColumn: 1, EndLine: line, EndColumn: utf16Len(lineText) + 1, Snippet: lineText},
		Function: fn,
	}
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// testFiles are the artifacts of the realistic scan, sorted by path, in every encoding
// glassbox reports: UTF-8 with and without BOM, UTF-16, legacy code pages and mixed files.
func testFiles() []finding.Artifact {
	sha := func(c byte) string { return string(slices.Repeat([]byte{c}, 64)) }
	return []finding.Artifact{
		{Path: "agent/main.go", Lang: "go", Length: 2048, SHA256: sha('a'), Encoding: "utf-8"},
		{Path: "src/#tmp/100% done.c", Lang: "c", Length: 911, SHA256: sha('b'), Encoding: "utf-8+windows-1251"},
		{Path: "src/legacy/dos.c", Lang: "c", Length: 4000, SHA256: sha('c'), Encoding: "cp866"},
		{Path: "src/legacy/rus.c", Lang: "c", Length: 3000, SHA256: sha('d'), Encoding: "windows-1251"},
		{Path: "src/net/upload client.c", Lang: "c", Length: 5120, SHA256: sha('e'), Encoding: "utf-8-bom"},
		{Path: "src/win/service.cpp", Lang: "cpp", Length: 20480, SHA256: sha('f'), Encoding: "utf-16le"},
		{Path: "src/модуль/empty.h", Length: 0},
		{Path: "src/модуль/конфиг.cpp", Lang: "cpp", Length: 640, SHA256: sha('0'), Encoding: "utf-8"},
	}
}

// testFindings are the findings of the realistic scan, in report order.
func testFindings() []finding.Finding {
	const url = "https://telemetry.example.net/v1/upload"
	upload := "src/net/upload client.c"
	fs := []finding.Finding{
		{
			RuleID: "egress/hardcoded-url", Message: "Hard-coded URL " + url + ".",
			Location:   loc("agent/main.go", "", 12, `"`+url+`"`, `const uploadURL = "`+url+`"`),
			Properties: map[string]any{"endpoint": url, "host": "telemetry.example.net", "scheme": "https"},
			Key:        `"` + url + `"`,
		},
		{
			RuleID: "obfuscation/xor-loop", Message: "XOR loop with key 0x5A.",
			Location: finding.Location{
				Path:     "src/#tmp/100% done.c",
				Region:   finding.Region{StartLine: 40, StartColumn: 5, EndLine: 41, EndColumn: 24, Snippet: "for (i = 0; i < n; i++)\n        buf[i] ^= 0x5A;"},
				Context:  &finding.Region{StartLine: 40, StartColumn: 1, EndLine: 41, EndColumn: 24, Snippet: "    for (i = 0; i < n; i++)\n        buf[i] ^= 0x5A;"},
				Function: "decode_config",
			},
			Properties: map[string]any{"key": "0x5A"},
			Key:        "for (i = 0; i < n; i++) buf[i] ^= 0x5A;",
		},
		{
			// A match over a whole loop: the context glassbox gives stops after five lines,
			// inside the match, so the writer must leave it out (SARIF1008).
			RuleID: "obfuscation/xor-loop", Message: "XOR loop with key 0x17.",
			Location: finding.Location{
				Path:     "src/#tmp/100% done.c",
				Region:   finding.Region{StartLine: 60, StartColumn: 5, EndLine: 67, EndColumn: 6, Snippet: "while (*p) {\n ... \n    }"},
				Context:  &finding.Region{StartLine: 60, StartColumn: 1, EndLine: 64, EndColumn: 20, Snippet: "    while (*p) {\n ... "},
				Function: "decode_strings",
			},
			Properties: map[string]any{"key": "0x17"},
			Key:        "while (*p) { ... }",
		},
		{
			RuleID: "telemetry/host-identity-upload", Message: "gethostname reaches send.",
			Location: loc(upload, "send_report", 88, "send(s, buf, len, 0)", "    send(s, buf, len, 0);"),
			Flow: []finding.Step{
				{Location: loc(upload, "send_report", 70, "gethostname(host, sizeof host)", "    gethostname(host, sizeof host);"),
					Message: "The host name is read into host"},
				{Location: loc(upload, "send_report", 75, `snprintf(buf, sizeof buf, "h=%s", host)`, `    snprintf(buf, sizeof buf, "h=%s", host);`),
					Message: "host is copied into buf."},
				{Location: loc(upload, "send_report", 88, "send(s, buf, len, 0)", "    send(s, buf, len, 0);"),
					Message: "buf is sent over the network"},
			},
			Related: []finding.Step{
				{Location: loc("src/win/service.cpp", "Service::Connect", 10, "connect(s, (sockaddr*)&sa, sizeof sa)", "        connect(s, (sockaddr*)&sa, sizeof sa);"),
					Message: "The socket is connected here"},
				{Location: loc(upload, "", 3, "#include <winsock2.h>", "#include <winsock2.h>")},
			},
			Properties: map[string]any{"source": "gethostname", "sink": "send", "dataKinds": []string{"hostname"}},
			Key:        "send(s, buf, len, 0)",
		},
		{
			// The same sink and message from another source: Sort makes it a second code
			// flow of the result above.
			RuleID: "telemetry/host-identity-upload", Message: "gethostname reaches send.",
			Location: loc(upload, "send_report", 88, "send(s, buf, len, 0)", "    send(s, buf, len, 0);"),
			Flow: []finding.Step{
				{Location: loc(upload, "send_report", 64, "gethostname(alt, sizeof alt)", "    gethostname(alt, sizeof alt);"),
					Message: "The host name is read into alt"},
				{Location: loc(upload, "send_report", 88, "send(s, buf, len, 0)", "    send(s, buf, len, 0);"),
					Message: "alt is sent over the network"},
			},
			Related: []finding.Step{
				{Location: loc(upload, "send_report", 64, "gethostname(alt, sizeof alt)", "    gethostname(alt, sizeof alt);"),
					Message: "The host name is read here"},
			},
			Properties: map[string]any{"source": "gethostname", "sink": "send", "dataKinds": []string{"hostname"}},
			Key:        "send(s, alt, len, 0)",
		},
		{
			RuleID: "remote-command/dispatcher", Message: `command "exec" dispatched.`,
			Location:   loc("src/win/service.cpp", "Service::Dispatch", 55, "case CMD_EXEC:", "        case CMD_EXEC: case CMD_UPLOAD:"),
			Properties: map[string]any{"command": "exec", "commands": []string{"exec", "upload"}},
			Key:        "CMD_EXEC",
		},
		{
			RuleID: "remote-command/dispatcher", Message: `command "upload" dispatched.`,
			Location:   loc("src/win/service.cpp", "Service::Dispatch", 55, "case CMD_UPLOAD:", "        case CMD_EXEC: case CMD_UPLOAD:"),
			Properties: map[string]any{"command": "upload", "commands": []string{"exec", "upload"}},
			Key:        "CMD_UPLOAD",
		},
		{
			RuleID: "egress/hardcoded-url", Message: "Hard-coded URL http://update.пример.рф/check.",
			Location:   loc("src/модуль/конфиг.cpp", "Config::Load", 7, `L"http://update.пример.рф/check"`, `    m_url = L"http://update.пример.рф/check";`),
			Properties: map[string]any{"endpoint": "http://update.пример.рф/check", "host": "update.пример.рф", "scheme": "http"},
			Key:        `L"http://update.пример.рф/check"`,
		},
	}
	return finding.Sort(fs)
}

// testNotifications holds every notification kind glassbox emits, with the messages the
// emitters write (which do not end with a period), sorted as the scan sorts them.
func testNotifications() []finding.Notification {
	ns := []finding.Notification{
		{ID: finding.NoteInternal, Level: finding.Error, Message: "worker 3 lost its connection; its files were re-queued"},
		{ID: finding.NoteFlowsTruncated, Level: finding.Note, Path: "src/legacy/dos.c", Message: "data flows of dispatch_all were cut at 20000 per function; paths through it may be missed"},
		{ID: finding.NoteSymlink, Level: finding.Note, Path: "lib/current", Message: "symbolic link to ../lib-2.1 not followed"},
		{ID: finding.NoteTooLarge, Level: finding.Warning, Path: "resources/blob.c", Message: "skipped: 52428800 bytes, over the 10485760-byte limit"},
		{ID: finding.NoteNotRegular, Level: finding.Note, Path: "run/agent.sock", Message: "skipped: not a regular file (socket)"},
		{ID: finding.NoteBinary, Level: finding.Note, Path: "src/blob.h", Message: "skipped: binary content (NUL bytes) in a file named like source code"},
		{ID: finding.NoteEmpty, Level: finding.Note, Path: "src/модуль/empty.h", Message: "empty file: nothing to analyse"},
		{ID: finding.NoteEncoding, Level: finding.Note, Path: "src/legacy/dos.c", Message: "decoded from cp866; lines and columns refer to the original file"},
		{ID: finding.NoteEncoding, Level: finding.Note, Path: "src/legacy/rus.c", Message: "decoded from windows-1251; lines and columns refer to the original file"},
		{ID: finding.NoteUnreadable, Level: finding.Warning, Path: "src/locked dir", Message: "cannot read directory: permission denied"},
		{ID: finding.NoteDeepNesting, Level: finding.Warning, Path: "src/win/service.cpp", Message: "brackets nest 900 deep; analysis does not descend past depth 512, so findings inside the deepest expressions may be missed"},
		{ID: finding.NoteParseError, Level: finding.Note, Path: "src/win/service.cpp", Line: 120, Message: "3 syntax error(s), the first at line 120 (macros or #ifdef branches the parser cannot follow); the rest of the file was analysed"},
		{ID: finding.NoteParseTime, Level: finding.Warning, Path: "src/модуль/big.cpp", Message: "skipped: parsing took longer than 30s"},
		{ID: finding.NoteParseFailed, Level: finding.Warning, Path: "src/модуль/broken.cpp", Message: "skipped: the parser failed: out of memory"},
	}
	slices.SortFunc(ns, finding.CompareNotifications)
	return ns
}

// start is the fixed start time of test scans, in a zone other than UTC on purpose.
var start = time.Date(2025, 3, 14, 10, 26, 53, 250_000_000, time.FixedZone("CET", 3600))

// realisticScan is a scan of a small antivirus tree with findings, flows, related locations,
// notifications of every kind, version control information, and spaces, '#', '%' and
// Cyrillic in paths.
func realisticScan(t *testing.T) *report.Scan {
	return &report.Scan{
		Tool:          report.Tool{Name: "glassbox", Version: "0.4.0", InformationURI: "https://glassbox.invalid/docs"},
		Rules:         newSet(t, testPacks()...),
		RootDir:       "/home/reviewer/av engine",
		Files:         testFiles(),
		Findings:      testFindings(),
		Notifications: testNotifications(),
		Invocation: report.Invocation{
			CommandLine: `glassbox scan --format sarif --output out.sarif "/home/reviewer/av engine"`,
			Arguments:   []string{"scan", "--format", "sarif", "--output", "out.sarif", "/home/reviewer/av engine"},
			Start:       start,
			End:         start.Add(42*time.Second + 125*time.Millisecond),
			Successful:  true,
		},
		VCS: &report.VCS{
			RepositoryURI: "https://git.example.net/av/engine.git",
			Revision:      "0123456789abcdef0123456789abcdef01234567",
			Branch:        "main",
		},
	}
}

// testScans are the scans every structural test runs on.
var testScans = []struct {
	name string
	scan func(*testing.T) *report.Scan
}{
	{"realistic", realisticScan},
	{"empty", emptyScan},
	{"failed", failedScan},
}

// emptyScan is a scan that ran no rules over no files.
func emptyScan(t *testing.T) *report.Scan {
	return &report.Scan{
		Tool:       report.Tool{Name: "glassbox", Version: "0.4.0", InformationURI: "https://glassbox.invalid/docs"},
		Rules:      newSet(t),
		RootDir:    "/src",
		Invocation: report.Invocation{Start: start, End: start.Add(time.Millisecond), Successful: true},
	}
}

// failedScan is a scan that was interrupted: rules but no findings (one rule with nothing
// but an id and a name), a notification without a file and one of a kind the writer does
// not know, a Go-style version, no version control and a Windows root.
func failedScan(t *testing.T) *report.Scan {
	return &report.Scan{
		Tool: report.Tool{Name: "glassbox", Version: "v0.5.0-rc.1", InformationURI: "https://glassbox.invalid/docs"},
		Rules: newSet(t, testPacks()[1], &rules.Pack{Name: "custom", Rules: []*rules.Rule{
			{ID: "custom/todo", Name: "TODO marker"}, // only what the writer cannot do without
		}}),
		RootDir: `C:\Users\Рецензент\av`,
		Files:   testFiles()[:1],
		Notifications: []finding.Notification{
			{ID: finding.NoteInternal, Level: finding.Error, Message: "interrupted"},
			{ID: "future-kind", Level: finding.Note, Path: "agent/main.go", Line: 3, Message: "a kind this writer does not know yet!"},
		},
		Invocation: report.Invocation{CommandLine: "glassbox scan .", Arguments: []string{"scan", "."}, Start: start, End: start.Add(time.Second)},
	}
}
