package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"glassbox/workers/dist"
)

// envNATSURL names a standalone NATS server (JetStream on) for TestWorkerKilledMidScan;
// .ci/run starts one. Without it the test starts an embedded server that listens on
// loopback, so the workers are still separate processes talking TCP.
const envNATSURL = "GLASSBOX_NATS_URL"

// natsURL returns the server the multi-process test runs against.
func natsURL(t *testing.T) string {
	if url := os.Getenv(envNATSURL); url != "" {
		t.Logf("using the NATS server at %s", url)
		return url
	}
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true,
		JetStream: true, StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(s.Shutdown)
	return s.ClientURL()
}

// buildGlassbox builds the real binary once for the test.
func buildGlassbox(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "glassbox")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startWorker starts `glassbox worker` as a separate process.
func startWorker(t *testing.T, bin, url string, concurrency string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	var logs syncBuffer
	cmd := exec.Command(bin, "worker", "--nats", url, "--concurrency", concurrency)
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, &logs
}

// jobsState reports how far the running scan's jobs consumer is: jobs acked, and jobs
// delivered and not yet acked.
func jobsState(js jetstream.JetStream) (acked uint64, inFlight int, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, dist.JobsStream)
	if err != nil {
		return 0, 0, false
	}
	for info := range st.ListConsumers(ctx).Info() {
		if strings.HasPrefix(info.Name, "jobs-") {
			return info.AckFloor.Consumer, info.NumAckPending, true
		}
	}
	return 0, 0, false
}

// TestWorkerKilledMidScan is the multi-process test of the issue: a coordinator on a real
// NATS server and a real `glassbox worker` process, killed with SIGKILL while it holds a
// job; a second worker process finishes the scan, and the SARIF is identical to an
// undisturbed in-process scan. The second worker then stops cleanly on SIGTERM.
func TestWorkerKilledMidScan(t *testing.T) {
	const files = 30
	dir := corpusDir(t, files, 12<<10)
	out := t.TempDir()
	bin := buildGlassbox(t)
	url := natsURL(t)

	want := filepath.Join(out, "undisturbed.sarif")
	if code, _, stderr := runCLI("scan", dir, "-o", want, "--fail-on", "none", "--no-cache", "--quiet"); code != exitClean {
		t.Fatalf("undisturbed scan: exit %d: %s", code, stderr)
	}

	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)

	first, firstLogs := startWorker(t, bin, url, "1")
	got := filepath.Join(out, "disturbed.sarif")
	done := make(chan int, 1)
	var scanErr syncBuffer
	go func() {
		var stdout bytes.Buffer
		done <- run([]string{"scan", dir, "-o", got, "--fail-on", "none", "--no-cache", "--quiet",
			"--nats", url, "--workers", "0", "--redeliver-after", "1s"}, &stdout, &scanErr)
	}()
	var acked uint64
	waitFor(t, "the first worker to be mid-scan", time.Minute, func() bool {
		a, inFlight, ok := jobsState(js)
		acked = a
		return ok && a >= 5 && inFlight >= 1
	})
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	if acked >= files {
		t.Fatalf("the worker was killed after the scan (%d jobs acked)", acked)
	}
	t.Logf("killed the first worker after %d of %d jobs, holding one", acked, files)

	second, secondLogs := startWorker(t, bin, url, "2")
	select {
	case code := <-done:
		if code != exitClean {
			t.Fatalf("scan exit %d: %s", code, scanErr.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("the scan did not finish after the kill; first worker:\n%s\nsecond:\n%s", firstLogs.String(), secondLogs.String())
	}
	if a, b := normalized(t, got), normalized(t, want); a != b {
		t.Error("SARIF of the disturbed scan differs from the undisturbed one")
	}

	second.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- second.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("second worker on SIGTERM: %v\n%s", err, secondLogs.String())
		}
	case <-time.After(20 * time.Second):
		t.Errorf("second worker did not stop on SIGTERM")
	}
	if l := secondLogs.String(); !strings.Contains(l, "worker stopped") {
		t.Errorf("second worker's log:\n%s", l)
	}
}
