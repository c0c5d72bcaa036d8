//go:build linux

package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// BenchmarkPeakRSS runs the real binary as separate processes on the corpus and reports
// their peak resident set size: a `glassbox worker` (two slots) and a `glassbox scan --nats`
// coordinator on a NATS server in this process, and the default all-in-one `glassbox scan`
// (embedded server, in-process workers). The peak is the kernel's VmHWM of each process,
// sampled until it exits: the rusage of a child is no use here, because Linux counts the
// parent's resident set (this big benchmark process) at the child's exec.
func BenchmarkPeakRSS(b *testing.B) {
	dir, _ := corpus(b)
	bin := filepath.Join(b.TempDir(), "glassbox")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/glassbox").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true,
		JetStream: true, StoreDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		b.Fatal("server not ready")
	}
	defer s.Shutdown()
	url := s.ClientURL()
	var coordRSS, workerRSS, allRSS int64
	b.ResetTimer()
	for range b.N {
		worker := exec.Command(bin, "worker", "--nats", url, "--concurrency", "2", "--quiet")
		workerPeak := start(b, worker)
		coord := exec.Command(bin, "scan", dir, "--nats", url, "--workers", "0", "--no-cache", "--quiet",
			"--fail-on", "none", "-o", os.DevNull)
		coordPeak := start(b, coord)
		if err := coord.Wait(); err != nil {
			b.Fatalf("coordinator: %v", err)
		}
		worker.Process.Signal(syscall.SIGTERM)
		if err := worker.Wait(); err != nil {
			b.Fatalf("worker: %v", err)
		}
		all := exec.Command(bin, "scan", dir, "--no-cache", "--quiet", "--fail-on", "none", "-o", os.DevNull)
		allPeak := start(b, all)
		if err := all.Wait(); err != nil {
			b.Fatalf("embedded scan: %v", err)
		}
		coordRSS = max(coordRSS, <-coordPeak)
		workerRSS = max(workerRSS, <-workerPeak)
		allRSS = max(allRSS, <-allPeak)
	}
	b.ReportMetric(float64(coordRSS)/(1<<10), "coordinator-peak-RSS-MiB")
	b.ReportMetric(float64(workerRSS)/(1<<10), "worker-peak-RSS-MiB")
	b.ReportMetric(float64(allRSS)/(1<<10), "embedded-scan-peak-RSS-MiB")
}

// start starts cmd and samples its VmHWM (KiB) every few milliseconds until it exits; the
// channel gives the last value read, the highest, once cmd has been waited for.
func start(b *testing.B, cmd *exec.Cmd) <-chan int64 {
	b.Helper()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	peak := make(chan int64, 1)
	go func() {
		var hwm int64
		for {
			data, err := os.ReadFile(status)
			if err != nil {
				break
			}
			for _, line := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					if n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64); err == nil {
						hwm = max(hwm, n)
					}
				}
			}
			if strings.Contains(string(data), "State:\tZ") {
				break // exited, not yet reaped: the last reading is final
			}
			time.Sleep(5 * time.Millisecond)
		}
		peak <- hwm
	}()
	return peak
}
