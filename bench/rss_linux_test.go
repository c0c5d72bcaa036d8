//go:build linux

package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// BenchmarkPeakRSS runs the real binary as separate processes on the corpus and reports
// their peak resident set size, from the kernel's accounting of each child: a `glassbox
// worker` (two slots) and a `glassbox scan --nats` coordinator on a NATS server in this
// process, and the default all-in-one `glassbox scan` (embedded server, in-process workers).
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
		if err := worker.Start(); err != nil {
			b.Fatal(err)
		}
		coord := exec.Command(bin, "scan", dir, "--nats", url, "--workers", "0", "--no-cache", "--quiet",
			"--fail-on", "none", "-o", os.DevNull)
		if out, err := coord.CombinedOutput(); err != nil {
			b.Fatalf("coordinator: %v\n%s", err, out)
		}
		worker.Process.Signal(syscall.SIGTERM)
		if err := worker.Wait(); err != nil {
			b.Fatalf("worker: %v", err)
		}
		all := exec.Command(bin, "scan", dir, "--no-cache", "--quiet", "--fail-on", "none", "-o", os.DevNull)
		if out, err := all.CombinedOutput(); err != nil {
			b.Fatalf("embedded scan: %v\n%s", err, out)
		}
		coordRSS = max(coordRSS, maxRSS(coord))
		workerRSS = max(workerRSS, maxRSS(worker))
		allRSS = max(allRSS, maxRSS(all))
	}
	b.ReportMetric(float64(coordRSS)/(1<<10), "coordinator-peak-RSS-MiB")
	b.ReportMetric(float64(workerRSS)/(1<<10), "worker-peak-RSS-MiB")
	b.ReportMetric(float64(allRSS)/(1<<10), "embedded-scan-peak-RSS-MiB")
}

// maxRSS is a finished child's peak resident set in KiB (Linux reports ru_maxrss in KiB).
func maxRSS(cmd *exec.Cmd) int64 {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}
