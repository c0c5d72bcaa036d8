package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/term"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/rules"
	"glassbox/workers/broker"
	"glassbox/workers/dist"
	"glassbox/workers/progress"
	"glassbox/workers/scan"
)

// distFlags say where `glassbox scan` runs its per-file work: always through NATS
// JetStream, on an embedded server (default) or on the deployment named by --nats.
type distFlags struct {
	client     clientFlags
	listen     listenFlags
	workersSet bool // --workers or -j was given
	cacheDir   string
	noCache    bool
	ackWait    time.Duration
	attempts   int

	stderr io.Writer         // where progress, logs and the join hint go
	quiet  bool              // --quiet
	coord  *dist.Coordinator // the last scan's coordinator, for its statistics
}

func (d *distFlags) register(fs *flag.FlagSet) {
	d.client.register(fs, "coordinate workers on the NATS deployment at `URL` instead of an embedded server")
	d.listen.register(fs)
	fs.StringVar(&d.cacheDir, "cache-dir", "", "keep the embedded server's store (blobs, result cache) in `DIR` (default: the user cache directory's glassbox/)")
	fs.BoolVar(&d.noCache, "no-cache", false, "neither read nor write the result cache; the embedded server keeps nothing after the scan")
	fs.DurationVar(&d.ackWait, "redeliver-after", dist.DefaultAckWait, "give a job to another worker when its worker shows no sign of life for this long")
	fs.IntVar(&d.attempts, "max-attempts", dist.DefaultMaxDeliver, "report a file as analysis-failed after this many workers crashed or timed out on it")
}

// validate checks the distribution flags after parsing; fs tells which were given and
// jobs is --workers.
func (d *distFlags) validate(fs *flag.FlagSet, jobs int) error {
	d.workersSet = flagSet(fs, "workers") || flagSet(fs, "j")
	if d.client.url == "" && d.client.anySet() {
		return fmt.Errorf("--nats-* options are for --nats; the embedded server needs none")
	}
	if d.client.url != "" && d.listen.anySet() {
		return fmt.Errorf("--listen configures the embedded server; with --nats the workers join that deployment")
	}
	if d.listen.addr == "" && d.listen.anySet() {
		return errNeedsListen
	}
	if d.ackWait <= 0 {
		return fmt.Errorf("--redeliver-after: want a positive duration such as 30s, got %s", d.ackWait)
	}
	if d.attempts < 1 {
		return fmt.Errorf("--max-attempts: want at least 1, got %d", d.attempts)
	}
	if d.client.url != "" {
		return d.client.resolve()
	}
	if d.workersSet && jobs == 0 && d.listen.addr == "" {
		return errors.New("--workers 0 leaves the embedded server without workers; give --listen so that outside workers can join, or --nats")
	}
	d.listen.resolve()
	err := d.listen.server("validate").Validate()
	if errors.Is(err, broker.ErrInsecureListen) {
		return fmt.Errorf("--listen %s: anyone who reaches this address could read the source under review; give --listen-token (or $%s), or --listen-user and --listen-password, or listen on 127.0.0.1", d.listen.addr, envListenToken)
	}
	return err
}

// cacheSummary adds the result cache's share to the scan summary.
func (d *distFlags) cacheSummary() string {
	if d.coord == nil {
		return ""
	}
	if st := d.coord.Stats(); st.Cached > 0 {
		return fmt.Sprintf("; %d of %d file(s) from the result cache", st.Cached, st.Files)
	}
	return ""
}

// logger is the log of a scan's distributed machinery: warnings only (rejected messages,
// workers that gave a file back), errors only with --quiet.
func (d *distFlags) logger() *slog.Logger {
	level := slog.LevelWarn
	if d.quiet {
		level = slog.LevelError
	}
	return slog.New(slog.NewTextHandler(d.stderr, &slog.HandlerOptions{Level: level}))
}

// executor sets up the NATS side of a scan and returns the coordinator as the scan's
// executor, with the function that tears everything down.
func (d *distFlags) executor(ctx context.Context, set *rules.Set, opts analyze.Options, jobs int) (scan.Executor, func(), error) {
	var cleanups []func()
	teardown := func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	log := d.logger()
	var coordConn, workerConn *nats.Conn
	workers := jobs
	if d.client.url == "" {
		srv, release, err := d.embedded()
		if err != nil {
			return nil, nil, err
		}
		cleanups = append(cleanups, release)
		if coordConn, err = srv.Connect("glassbox-coordinator"); err != nil {
			teardown()
			return nil, nil, err
		}
		if !d.workersSet {
			workers = runtime.GOMAXPROCS(0)
		}
		if workers > 0 {
			if workerConn, err = srv.Connect("glassbox-worker"); err != nil {
				coordConn.Close()
				teardown()
				return nil, nil, err
			}
		}
	} else {
		var err error
		if coordConn, err = broker.Dial(d.client.url, d.client.opts, "glassbox-coordinator"); err != nil {
			return nil, nil, err
		}
		if workers > 0 {
			if workerConn, err = broker.Dial(d.client.url, d.client.opts, "glassbox-worker"); err != nil {
				coordConn.Close()
				return nil, nil, err
			}
		}
	}
	cleanups = append(cleanups, coordConn.Close)
	js, err := jetstream.New(coordConn)
	if err != nil {
		teardown()
		return nil, nil, err
	}
	var failed chan error
	if workerConn != nil {
		stop, errc, err := runWorkers(workerConn, workers, log)
		if err != nil {
			teardown()
			return nil, nil, err
		}
		failed = errc
		cleanups = append(cleanups, stop)
	}
	d.coord = &dist.Coordinator{JS: js, Set: set, Options: opts, Cache: !d.noCache,
		AckWait: d.ackWait, MaxDeliver: d.attempts, Log: log}
	var exec scan.Executor = d.coord
	if !d.quiet {
		exec = withProgress(exec, d.coord, d.stderr)
	}
	return guarded{exec: exec, failed: failed}, teardown, nil
}

// embedded starts the embedded server on the cache directory's store, or on a temporary
// store with --no-cache or when another scan holds the cache.
func (d *distFlags) embedded() (*broker.Server, func(), error) {
	cache := ""
	if !d.noCache {
		cache = d.cacheDir
		if cache == "" {
			if base, err := os.UserCacheDir(); err == nil {
				cache = filepath.Join(base, "glassbox")
			}
		}
	}
	store, busy, err := broker.OpenStore(cache)
	if err != nil {
		return nil, nil, err
	}
	if busy && !d.quiet {
		fmt.Fprintf(d.stderr, "glassbox: another glassbox is using the cache in %s; this scan uses a temporary store and an empty cache\n", cache)
	}
	srv, err := broker.Start(d.listen.server(store.Dir))
	if err != nil {
		store.Release()
		return nil, nil, err
	}
	if url := srv.ClientURL(); url != "" && !d.quiet {
		hint := ""
		switch {
		case d.listen.token != "":
			hint = " --nats-token TOKEN"
		case d.listen.user != "":
			hint = " --nats-user " + d.listen.user + " --nats-password PASSWORD"
		}
		fmt.Fprintf(d.stderr, "glassbox: embedded NATS listening on %s; other machines join with: glassbox worker --nats %s%s\n", url, url, hint)
	}
	return srv, func() { srv.Shutdown(); store.Release() }, nil
}

// runWorkers runs in-process workers on nc until the returned stop is called; a worker
// that fails reports on the channel.
func runWorkers(nc *nats.Conn, n int, log *slog.Logger) (func(), chan error, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		w := &dist.Worker{JS: js, Concurrency: n, Name: "in-process", Log: log}
		if err := w.Run(ctx); err != nil {
			errc <- err
		}
	}()
	return func() { cancel(); wg.Wait(); nc.Close() }, errc, nil
}

// guarded ends the scan with a worker's error when an in-process worker fails: without
// its workers an embedded scan would wait forever.
type guarded struct {
	exec   scan.Executor
	failed <-chan error
}

func (g guarded) Run(ctx context.Context, files <-chan source.File, results chan<- finding.FileResult) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		select {
		case err := <-g.failed:
			cancel(err)
		case <-ctx.Done():
		}
	}()
	err := g.exec.Run(ctx, files, results)
	if cause := context.Cause(ctx); err != nil && cause != nil && cause != ctx.Err() {
		return cause
	}
	return err
}

// withProgress shows the coordinator's progress on stderr while the scan runs.
func withProgress(exec scan.Executor, c *dist.Coordinator, stderr io.Writer) scan.Executor {
	return progressExec{exec: exec, coord: c, out: stderr}
}

type progressExec struct {
	exec  scan.Executor
	coord *dist.Coordinator
	out   io.Writer
}

func (p progressExec) Run(ctx context.Context, files <-chan source.File, results chan<- finding.FileResult) error {
	meter := progress.NewMeter(time.Now())
	p.coord.Observer = meter
	terminal, width := false, 0
	if f, ok := p.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		terminal = true
		width, _, _ = term.GetSize(int(f.Fd()))
	}
	display := progress.NewDisplay(meter, p.out, terminal, width)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() { display.Run(stop); close(done) }()
	defer func() { close(stop); <-done }()
	return p.exec.Run(ctx, files, results)
}
