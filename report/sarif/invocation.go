package sarif

import (
	"slices"
	"time"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"glassbox/analyzers/finding"
	"glassbox/report"
)

// newInvocation describes the run: command line, timing, success, and one tool execution
// notification per notification of the scan, in the order given. It also returns the
// descriptors those notifications reference (tool.driver.notifications).
func newInvocation(s *report.Scan, arts *artifacts) (*sarif.Invocation, []*sarif.ReportingDescriptor) {
	iv := s.Invocation
	inv := &sarif.Invocation{
		CommandLine:         nonEmpty(iv.CommandLine),
		Arguments:           slices.Clone(iv.Arguments),
		StartTimeUTC:        utc(iv.Start),
		EndTimeUTC:          utc(iv.End),
		ExecutionSuccessful: ptr(iv.Successful),
	}
	descs, index := notificationDescriptors(s.Notifications)
	for _, n := range s.Notifications {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, notification(n, index[n.ID], arts))
	}
	return inv, descs
}

// utc returns t in UTC (SARIF times are UTC, RFC 3339), or nil when t is not set.
func utc(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return ptr(t.UTC())
}

// notification renders one notification; di is its descriptor's index.
func notification(n finding.Notification, di uint, arts *artifacts) *sarif.Notification {
	text := sentence(n.Message)
	if text == "" {
		text = noteDescriptor(n.ID).full
	}
	out := &sarif.Notification{
		Message:    &sarif.Message{Text: ptr(text)},
		Descriptor: &sarif.ReportingDescriptorReference{Id: ptr(n.ID), Index: ptr(di)},
	}
	if n.Level.Valid() {
		out.Level = string(n.Level)
	}
	if n.Path != "" {
		pl := &sarif.PhysicalLocation{ArtifactLocation: arts.ref(n.Path)}
		if n.Line > 0 {
			pl.Region = &sarif.Region{StartLine: ptr(n.Line)}
		}
		out.Locations = []*sarif.Location{{PhysicalLocation: pl}}
	}
	return out
}

// notificationDescriptors registers one descriptor per notification id used, sorted by id,
// and returns where each id is.
func notificationDescriptors(ns []finding.Notification) ([]*sarif.ReportingDescriptor, map[string]uint) {
	var ids []string
	for _, n := range ns {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	descs := make([]*sarif.ReportingDescriptor, len(ids))
	index := make(map[string]uint, len(ids))
	for i, id := range ids {
		d := noteDescriptor(id)
		descs[i] = &sarif.ReportingDescriptor{
			ID:                   id,
			Name:                 ptr(pascalName(id)),
			ShortDescription:     &sarif.MultiformatMessageString{Text: ptr(d.short)},
			FullDescription:      &sarif.MultiformatMessageString{Text: ptr(d.full)},
			Help:                 &sarif.MultiformatMessageString{Text: ptr(d.help)},
			DefaultConfiguration: &sarif.ReportingConfiguration{Level: string(d.level)},
		}
		index[id] = uint(i)
	}
	return descs, index
}

// noteInfo describes a notification kind: what it says (short), what it means for the
// review (full), what to do about it (help), and how serious it usually is. GitHub's
// ingestion rules (GH2012) want the full description and help on every descriptor.
type noteInfo struct {
	short, full, help string
	level             finding.Level
}

// noteInfos describes every notification kind glassbox emits. The levels are the ones the
// emitters use; a notification's own level still wins for that notification.
var noteInfos = map[string]noteInfo{
	finding.NoteTooLarge: {"File too large to analyse.",
		"The file is larger than the scan's size limit and was not analysed; nothing it contains is reported.",
		"Raise the size limit and scan again if the file is source code that must be reviewed; otherwise confirm that it is generated or vendored data.",
		finding.Warning},
	finding.NoteBinary: {"Binary file skipped.",
		"The file is named like source code but holds binary content (NUL bytes), so it was not analysed.",
		"Check what the file is: binaries checked in under source names deserve a look of their own.",
		finding.Note},
	finding.NoteEmpty: {"Empty file.",
		"The file is empty; there was nothing to analyse.",
		"No action is needed.",
		finding.Note},
	finding.NoteUnreadable: {"File or directory could not be read.",
		"Reading the file or directory failed (permissions, I/O error, or it vanished during the scan), so it was not analysed.",
		"Fix the permissions or the file system and scan again; until then the code there is unreviewed.",
		finding.Warning},
	finding.NoteNotRegular: {"Not a regular file.",
		"The path is a device, pipe, socket or similar, not a regular file, so it was not read.",
		"No action is needed unless source code was expected at this path.",
		finding.Note},
	finding.NoteSymlink: {"Symbolic link not followed.",
		"The path is a symbolic link; glassbox does not follow links, so that files outside the scan root are not read and none is read twice.",
		"Scan the link's target directly if it holds code under review.",
		finding.Note},
	finding.NoteParseError: {"File parsed with syntax errors.",
		"The parser could not follow parts of the file (usually macros or #ifdef branches); the parts that parsed were analysed, so findings in the others may be missing.",
		"Review the lines around the reported syntax error by hand.",
		finding.Note},
	finding.NoteParseTime: {"Parsing timed out.",
		"Parsing the file took longer than the time limit, so it was not analysed.",
		"Raise the parse timeout and scan again, or review the file by hand.",
		finding.Warning},
	finding.NoteParseFailed: {"Parser failed.",
		"The parser failed on the file, so it was not analysed.",
		"Review the file by hand, and report the failure with the file if you can share it.",
		finding.Warning},
	finding.NoteDeepNesting: {"Brackets nest too deeply.",
		"Brackets nest deeper in the file than the analysis descends, so findings inside the deepest expressions may be missing.",
		"Review the deeply nested expressions by hand; generated tables and obfuscated code are the usual cause.",
		finding.Warning},
	finding.NoteEncoding: {"File decoded from a legacy encoding.",
		"The file is not UTF-8 and was decoded from a legacy code page; lines and columns refer to the original file.",
		"No action is needed; if the guessed code page is wrong, strings in the findings read as mojibake and the scan can be told the encoding.",
		finding.Note},
	finding.NoteFlowsTruncated: {"Data flows of a function were cut.",
		"A function connects more data flows than the summary keeps, so paths through it may be missing from taint results.",
		"Review the named functions by hand; they are usually generated code or very long dispatch functions.",
		finding.Note},
	finding.NoteInternal: {"Internal error.",
		"An internal error in glassbox stopped the analysis of the file or of the scan.",
		"Scan again; if the error persists, report it with the message.",
		finding.Error},
}

// noteDescriptor describes a notification kind, including ones added after this table.
func noteDescriptor(id string) noteInfo {
	if d, ok := noteInfos[id]; ok {
		return d
	}
	return noteInfo{
		short: "Notification " + id + ".",
		full:  "Glassbox reported \"" + id + "\" while scanning.",
		help:  "See the notification's message.",
		level: finding.Warning,
	}
}
