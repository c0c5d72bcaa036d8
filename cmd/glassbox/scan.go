package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/analyzers/taint"
	"glassbox/report"
	"glassbox/report/jsonreport"
	"glassbox/report/sarif"
	"glassbox/report/text"
	"glassbox/rules"
	"glassbox/workers/gomod"
	"glassbox/workers/scan"
	"glassbox/workers/vcs"
	"glassbox/workers/walk"
)

var formats = map[string]report.Writer{"sarif": sarif.Writer{}, "text": text.Writer{}, "json": jsonreport.Writer{}}

type scanFlags struct {
	out, format, failOn, encoding  string
	goTypes                        string
	exclude, include, rules, packs listFlag
	maxSize                        sizeFlag
	includeTests, quiet            bool
	jobs                           int
	parseTimeout                   time.Duration
	dist                           distFlags
}

func (f *scanFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.out, "o", "", "write the report to `FILE` (default: standard output)")
	fs.StringVar(&f.format, "format", "", "report format: sarif, text or json (default: sarif with -o, text otherwise)")
	fs.StringVar(&f.failOn, "fail-on", "error", "exit 1 when a finding is at or above this level: error, warning, note or none")
	fs.Var(&f.exclude, "exclude", "skip paths matching `GLOB` (repeatable; without '/' it matches any path element)")
	fs.Var(&f.include, "include", "scan paths matching `GLOB` even when excluded (repeatable)")
	f.maxSize = walk.DefaultMaxFileSize
	fs.Var(&f.maxSize, "max-file-size", "skip files larger than this many bytes (suffixes KiB, MiB)")
	fs.BoolVar(&f.includeTests, "include-tests", false, "also scan Go _test.go files")
	fs.IntVar(&f.jobs, "workers", 0, "in-process workers: files analysed in parallel (default: one per CPU; none with --nats)")
	fs.IntVar(&f.jobs, "j", 0, "same as --workers")
	fs.Var(&f.rules, "rules", "load rule packs from `FILE` or directory (repeatable)")
	fs.Var(&f.packs, "pack", "run only the pack `NAME` (repeatable; default: all loaded packs)")
	fs.DurationVar(&f.parseTimeout, "parse-timeout", analyze.DefaultParseTimeout, "give up parsing one file after this long")
	fs.StringVar(&f.encoding, "encoding", "", "legacy code page for files that are not UTF-8 (default: detect; one of "+strings.Join(source.LegacyEncodings(), ", ")+")")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing but errors on standard error")
	fs.StringVar(&f.goTypes, "go-types", "auto", "analyse Go modules that load with types instead of tree-sitter: auto or off")
	f.dist.register(fs)
}

func (f *scanFlags) validate() error {
	if f.format == "" {
		f.format = "text"
		if f.out != "" {
			f.format = "sarif"
		}
	}
	if _, ok := formats[f.format]; !ok {
		return fmt.Errorf("--format: want sarif, text or json, got %q", f.format)
	}
	if f.failOn != "none" && !finding.Level(f.failOn).Valid() {
		return fmt.Errorf("--fail-on: want error, warning, note or none, got %q", f.failOn)
	}
	if f.encoding != "" && !source.ValidEncoding(f.encoding) {
		return fmt.Errorf("--encoding: unknown code page %q (known: %s)", f.encoding, strings.Join(source.LegacyEncodings(), ", "))
	}
	if f.jobs < 0 {
		return fmt.Errorf("--workers: want a positive number of workers, got %d", f.jobs)
	}
	if f.parseTimeout <= 0 {
		return fmt.Errorf("--parse-timeout: want a positive duration such as 10s, got %s", f.parseTimeout)
	}
	if f.goTypes != "auto" && f.goTypes != "off" {
		return fmt.Errorf("--go-types: want auto or off, got %q", f.goTypes)
	}
	return nil
}

func runScan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("glassbox scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: glassbox scan PATH [flags]\n\nPATH is a directory, \"dir/...\", or one source file.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var f scanFlags
	f.register(fs)
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	if len(pos) != 1 {
		fmt.Fprintf(stderr, "glassbox scan: want exactly one PATH, got %d\n", len(pos))
		fs.Usage()
		return exitError
	}
	if err := f.validate(); err != nil {
		fmt.Fprintln(stderr, "glassbox scan:", err)
		return exitError
	}
	if err := f.dist.validate(fs, f.jobs); err != nil {
		fmt.Fprintln(stderr, "glassbox scan:", err)
		return exitError
	}
	f.dist.stderr, f.dist.quiet = stderr, f.quiet
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := scanPath(ctx, pos[0], &f, append([]string{"glassbox", "scan"}, redact(args)...))
	if err != nil {
		fmt.Fprintln(stderr, "glassbox scan:", err)
		return exitError
	}
	if err := writeReport(rep, &f, stdout); err != nil {
		fmt.Fprintln(stderr, "glassbox scan:", err)
		return exitError
	}
	if !f.quiet {
		fmt.Fprintln(stderr, summary(rep, f.out)+f.dist.cacheSummary())
	}
	levels := make([]finding.Level, len(rep.Findings))
	for i, fd := range rep.Findings {
		levels[i] = rep.Rules.Rule(fd.RuleID).Severity
	}
	return exitCode(levels, f.failOn)
}

// scanPath loads the rules (a bad pack stops here, before any file is read), scans the root
// and assembles the report.
func scanPath(ctx context.Context, path string, f *scanFlags, argv []string) (*report.Scan, error) {
	set, err := loadRules(f.rules, f.packs)
	if err != nil {
		return nil, err
	}
	engine, free, err := analyze.Build(set, analyze.Options{ParseTimeout: f.parseTimeout, Encoding: f.encoding})
	if err != nil {
		return nil, err
	}
	defer free()
	root, err := walk.Open(path)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	exec, teardown, err := f.dist.executor(ctx, set, analyze.Options{ParseTimeout: f.parseTimeout, Encoding: f.encoding}, f.jobs)
	if err != nil {
		return nil, err
	}
	defer teardown()
	start := time.Now()
	var typed <-chan *gomod.Result // the typed analysis of Go modules, next to the file jobs
	if f.goTypes == "auto" {
		typed = gomod.Start(ctx, root, gomod.Options{Set: set, IncludeTests: f.includeTests})
	}
	res, err := scan.Run(ctx, scan.Config{
		Root:    root,
		Exec:    exec,
		Walk:    walk.Options{Exclude: f.exclude, Include: f.include, MaxFileSize: int64(f.maxSize), IncludeTests: f.includeTests},
		Workers: f.jobs,
		Engine:  engine,
		Link:    func(rs []finding.FileResult) []finding.Finding { return taint.Link(rs, set) },
	})
	if err != nil {
		return nil, err
	}
	if typed != nil {
		gomod.Merge(res, <-typed, set)
	}
	rep := &report.Scan{
		Tool: report.Tool{Name: "glassbox", Version: versionString(), InformationURI: informationURI}, Rules: set, RootDir: root.Dir,
		Files: res.Files, Findings: res.Findings, Notifications: res.Notifications,
		Invocation: report.Invocation{CommandLine: strings.Join(argv, " "), Arguments: argv[1:], Start: start, End: time.Now(), Successful: true},
	}
	if info := vcs.Git(root.FS, root.Dir); info != nil {
		rep.VCS = &report.VCS{RepositoryURI: info.RepositoryURI, Revision: info.Revision, Branch: info.Branch}
	}
	return rep, nil
}

// loadRules loads the built-in packs and the reviewer's, and keeps the selected ones.
func loadRules(paths, packs []string) (*rules.Set, error) {
	all, err := rules.Builtin()
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		ps, err := rules.LoadPath(p)
		if err != nil {
			return nil, err
		}
		all = append(all, ps...)
	}
	set, err := rules.NewSet(all...)
	if err != nil {
		return nil, err
	}
	return set.Select(packs)
}

// writeReport renders the whole report in memory first, so a failed write never leaves a
// truncated SARIF file that a dashboard would read as "no findings".
func writeReport(rep *report.Scan, f *scanFlags, stdout io.Writer) error {
	var buf bytes.Buffer
	if err := formats[f.format].Write(&buf, rep); err != nil {
		return err
	}
	if f.out == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(f.out, buf.Bytes(), 0o644)
}

func summary(rep *report.Scan, out string) string {
	s := fmt.Sprintf("glassbox: %d finding(s) in %d file(s), %d notification(s)", len(rep.Findings), len(rep.Files), len(rep.Notifications))
	if out != "" {
		s += "; report written to " + out
	}
	return s
}
