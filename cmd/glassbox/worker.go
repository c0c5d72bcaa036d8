package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"glassbox/workers/broker"
	"glassbox/workers/dist"
)

type workerFlags struct {
	client      clientFlags
	concurrency int
	fileTimeout time.Duration
	name        string
	quiet       bool
}

// runWorker is `glassbox worker`: serve the jobs of every scan on a NATS deployment until
// SIGINT or SIGTERM, then finish the jobs in hand and exit. A second signal exits at once.
func runWorker(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("glassbox worker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: glassbox worker --nats URL [flags]\n\nAnalyse files for every scan coordinated on the NATS deployment at URL.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	var f workerFlags
	f.client.register(fs, "the NATS deployment to serve, e.g. nats://10.1.2.3:4222 or tls://nats.internal:4222 (required)")
	fs.IntVar(&f.concurrency, "concurrency", 0, "files analysed at once (default: one per CPU)")
	fs.DurationVar(&f.fileTimeout, "file-timeout", 0, "give a file back to the queue when its analysis takes longer (default: twice the scan's --parse-timeout plus 30s)")
	fs.StringVar(&f.name, "name", "", "this worker's name in logs and results (default: host:pid)")
	fs.BoolVar(&f.quiet, "quiet", false, "log only errors")
	pos, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return exitClean
	}
	if err != nil {
		return exitError
	}
	if err := f.validate(pos); err != nil {
		fmt.Fprintln(stderr, "glassbox worker:", err)
		return exitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal now ends the process at once
	}()
	if err := serve(ctx, &f, stderr); err != nil {
		fmt.Fprintln(stderr, "glassbox worker:", err)
		return exitError
	}
	return exitClean
}

func (f *workerFlags) validate(pos []string) error {
	switch {
	case len(pos) > 0:
		return fmt.Errorf("unexpected argument %q", pos[0])
	case f.client.url == "":
		return errors.New("--nats URL is required: the deployment whose scans to serve")
	case f.concurrency < 0:
		return fmt.Errorf("--concurrency: want a positive number, got %d", f.concurrency)
	case f.fileTimeout < 0:
		return fmt.Errorf("--file-timeout: want a positive duration, got %s", f.fileTimeout)
	}
	return f.client.resolve()
}

// serve connects (the first connection must succeed; after that the client reconnects for
// as long as it takes) and runs the worker until ctx ends.
func serve(ctx context.Context, f *workerFlags, stderr io.Writer) error {
	level := slog.LevelInfo
	if f.quiet {
		level = slog.LevelError
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	nc, err := broker.Dial(f.client.url, f.client.opts, "glassbox-worker", nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { log.Warn("disconnected from NATS", "err", err) }),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("reconnected to NATS", "url", nc.ConnectedUrlRedacted()) }))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	n := f.concurrency
	if n == 0 {
		n = runtime.GOMAXPROCS(0)
	}
	w := &dist.Worker{JS: js, Concurrency: n, FileTimeout: f.fileTimeout, Name: f.name, Log: log}
	log.Info("worker serving scans", "url", nc.ConnectedUrlRedacted(), "concurrency", n)
	err = w.Run(ctx)
	log.Info("worker stopped", "jobs", w.Jobs())
	if err != nil {
		return err
	}
	return nc.Drain()
}
