//go:build unix

package bench

import (
	"context"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"glassbox/analyzers/analyze"
	"glassbox/rules"
	"glassbox/workers/broker"
	"glassbox/workers/dist"
	"glassbox/workers/scan"
	"glassbox/workers/walk"
)

// BenchmarkDistribution measures, in one run and on the same corpus, the scan run directly
// in-process (scan.Local, one goroutine per CPU) and through an embedded NATS JetStream
// server with one and with two in-process worker slots, then a cold and a warm run with the
// result cache. The ratios are the figures to watch: what distribution costs over the
// direct scan, and what the cache saves.
func BenchmarkDistribution(b *testing.B) {
	dir, size := corpus(b)
	root, err := walk.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer root.Close()
	packs, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		b.Fatal(err)
	}
	// The direct scan runs what the workers run: pattern rules and the taint summaries
	// (analyze.Build), so that the ratios measure distribution and nothing else.
	engine, free, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer free()
	// Wall time, and the CPU time of this process, which runs the server, coordinator and
	// workers alike: on a shared machine the CPU ratio is the steadier measure of what
	// distribution costs.
	cpu := map[string]time.Duration{}
	run := func(name string, exec scan.Executor) time.Duration {
		c0, t0 := cpuTime(), time.Now()
		if _, err := scan.Run(context.Background(), scan.Config{Root: root, Exec: exec}); err != nil {
			b.Fatal(err)
		}
		cpu[name] += cpuTime() - c0
		return time.Since(t0)
	}
	var direct, nats1, nats2, cold, warm time.Duration
	b.ResetTimer()
	for range b.N {
		direct += run("direct", scan.Local{Engine: engine, Workers: runtime.GOMAXPROCS(0)})
		for _, slots := range []int{1, 2} {
			js, stop := embedded(b, slots)
			name := "nats" + strconv.Itoa(slots)
			d := run(name, &dist.Coordinator{JS: js, Set: set})
			stop()
			if slots == 1 {
				nats1 += d
			} else {
				nats2 += d
			}
		}
		js, stop := embedded(b, runtime.GOMAXPROCS(0))
		cold += run("cold", &dist.Coordinator{JS: js, Set: set, Cache: true})
		warm += run("warm", &dist.Coordinator{JS: js, Set: set, Cache: true})
		stop()
	}
	mb := float64(size) / (1 << 20) * float64(b.N)
	b.ReportMetric(mb/direct.Seconds(), "direct-MB/s")
	b.ReportMetric(mb/nats1.Seconds(), "nats1-MB/s")
	b.ReportMetric(mb/nats2.Seconds(), "nats2-MB/s")
	b.ReportMetric(nats1.Seconds()/direct.Seconds(), "nats1/direct")
	b.ReportMetric(nats2.Seconds()/direct.Seconds(), "nats2/direct")
	b.ReportMetric(mb/warm.Seconds(), "warm-MB/s")
	b.ReportMetric(cold.Seconds()/warm.Seconds(), "cold/warm")
	b.ReportMetric(cpu["nats2"].Seconds()/cpu["direct"].Seconds(), "nats2/direct-cpu")
	b.ReportMetric(cpu["cold"].Seconds()/cpu["warm"].Seconds(), "cold/warm-cpu")
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// embedded starts an embedded server on a temporary store and one in-process worker with
// the given number of slots; stop shuts both down.
func embedded(b *testing.B, slots int) (jetstream.JetStream, func()) {
	store := b.TempDir()
	srv, err := broker.Start(broker.ServerOptions{StoreDir: store})
	if err != nil {
		b.Fatal(err)
	}
	coord, err := srv.Connect("bench-coordinator")
	if err != nil {
		b.Fatal(err)
	}
	wconn, err := srv.Connect("bench-worker")
	if err != nil {
		b.Fatal(err)
	}
	js, _ := jetstream.New(coord)
	wjs, _ := jetstream.New(wconn)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		(&dist.Worker{JS: wjs, Concurrency: slots}).Run(ctx)
	}()
	return js, func() {
		cancel()
		<-done
		wconn.Close()
		coord.Close()
		srv.Shutdown()
	}
}
