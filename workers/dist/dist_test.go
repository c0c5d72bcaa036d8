package dist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/rules"
	"glassbox/workers/scan"
)

func coordinator(js jetstream.JetStream, set *rules.Set) *Coordinator {
	return &Coordinator{JS: js, Set: set, Log: quiet()}
}

// TestWorkersGiveSameSARIF scans one tree directly in-process, then through JetStream with
// one worker and with three workers of two slots each: the SARIF is the same bytes every
// time, and a scan leaves no consumer or message of its own behind.
func TestWorkersGiveSameSARIF(t *testing.T) {
	dir := corpus(t, 12)
	set := builtinSet(t)
	want := direct(t, dir, set)
	for _, tc := range []struct{ workers, concurrency int }{{1, 1}, {3, 2}} {
		s := newServer(t)
		startWorkers(t, s, tc.workers, tc.concurrency, nil)
		js := connect(t, s)
		c := coordinator(js, set)
		got := scanWith(t, dir, set, c)
		if !bytes.Equal(got, want) {
			t.Fatalf("%d worker(s) × %d: SARIF differs from the direct scan:\n%s", tc.workers, tc.concurrency, firstDiff(got, want))
		}
		if st := c.Stats(); st.Analysed != st.Files || st.Files < 20 || st.Cached != 0 || st.Failed != 0 {
			t.Errorf("stats %+v", st)
		}
		assertCleanedUp(t, js)
	}
}

// TestSummariesSurviveTransport scans the annotated samples and the demo code base directly
// and through JetStream and compares every file's result, summaries for the cross-file link
// step included, as JSON: what the coordinator receives is what the worker produced.
func TestSummariesSurviveTransport(t *testing.T) {
	set := builtinSet(t)
	e, closeEngine, err := analyze.Build(set, analyze.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer closeEngine()
	const dir = "../../testdata"
	want := &capture{exec: scan.Local{Engine: e, Workers: 2}}
	scanWith(t, dir, set, want)
	s := newServer(t)
	startWorkers(t, s, 2, 1, nil)
	got := &capture{exec: coordinator(connect(t, s), set)}
	scanWith(t, dir, set, got)
	w, g := want.encoded(t), got.encoded(t)
	if len(w) != len(g) || len(w) < 50 {
		t.Fatalf("%d results through JetStream, %d direct", len(g), len(w))
	}
	summaries := 0
	for path, data := range w {
		if !bytes.Equal(g[path], data) {
			t.Errorf("%s: result changed in transport:\n%s", path, firstDiff(g[path], data))
		}
		if bytes.Contains(data, []byte(`"functions"`)) {
			summaries++
		}
	}
	if summaries == 0 {
		t.Error("no result carries summaries: the test does not exercise them")
	}
}

// capture is an executor that keeps a copy of every result it passes on.
type capture struct {
	exec    scan.Executor
	mu      sync.Mutex
	results []finding.FileResult
}

func (c *capture) Run(ctx context.Context, files <-chan source.File, results chan<- finding.FileResult) error {
	mid := make(chan finding.FileResult)
	errc := make(chan error, 1)
	go func() { errc <- c.exec.Run(ctx, files, mid); close(mid) }()
	for r := range mid {
		c.mu.Lock()
		c.results = append(c.results, r)
		c.mu.Unlock()
		results <- r
	}
	return <-errc
}

// encoded is each result as the transport encodes it, by path.
func (c *capture) encoded(t *testing.T) map[string][]byte {
	out := map[string][]byte{}
	for _, r := range c.results {
		data, _, err := encodeFileResult(r)
		if err != nil {
			t.Fatal(err)
		}
		out[r.Artifact.Path] = data
	}
	return out
}

// assertCleanedUp checks that no scan consumer, job, result or announcement is left.
func assertCleanedUp(t *testing.T, js jetstream.JetStream) {
	t.Helper()
	ctx := context.Background()
	for _, name := range []string{JobsStream, ResultsStream} {
		st, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		info, _ := st.Info(ctx)
		if info.State.Msgs != 0 || info.State.Consumers != 0 {
			t.Errorf("%s after the scan: %d messages, %d consumers", name, info.State.Msgs, info.State.Consumers)
		}
	}
	kv, _ := js.KeyValue(ctx, ScansBucket)
	if keys, err := kv.Keys(ctx); !errors.Is(err, jetstream.ErrNoKeysFound) {
		t.Errorf("announcements left: %v (%v)", keys, err)
	}
}

// TestWarmCacheParsesNothing scans twice with the cache on: the second scan sends no job at
// all and gives the same SARIF; so does a scan with other options, which must miss.
func TestWarmCacheParsesNothing(t *testing.T) {
	dir := corpus(t, 6)
	set := builtinSet(t)
	s := newServer(t)
	ws := startWorkers(t, s, 1, 2, nil)
	js := connect(t, s)

	cold := &Coordinator{JS: js, Set: set, Cache: true, Log: quiet()}
	first := scanWith(t, dir, set, cold)
	jobs := ws[0].Jobs()
	if st := cold.Stats(); st.Cached != 0 || st.Analysed != st.Files || jobs != st.Files {
		t.Fatalf("cold scan: stats %+v, worker did %d jobs", st, jobs)
	}
	warm := &Coordinator{JS: js, Set: set, Cache: true, Log: quiet()}
	second := scanWith(t, dir, set, warm)
	if st := warm.Stats(); st.Cached != st.Files || st.Analysed != 0 {
		t.Errorf("warm scan: stats %+v, want every file from the cache", st)
	}
	if n := ws[0].Jobs(); n != jobs {
		t.Errorf("warm scan sent %d jobs to the worker", n-jobs)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("warm scan SARIF differs from the cold one:\n%s", firstDiff(second, first))
	}
	other := &Coordinator{JS: js, Set: set, Cache: true, Options: analyze.Options{Encoding: "windows-1252"}, Log: quiet()}
	scanWith(t, dir, set, other)
	if st := other.Stats(); st.Cached != 0 || st.Analysed != st.Files {
		t.Errorf("a scan with other options: stats %+v, want every file analysed again", st)
	}
}

// TestTwoConcurrentScans runs two scans of different trees with different packs (one a
// reviewer's own, which the workers must fetch) on the same workers at once: each gets
// exactly its own results.
func TestTwoConcurrentScans(t *testing.T) {
	mine, err := rules.Load("mine.yaml", []byte(`pack: mine
version: 1.0.0
rules:
  - id: mine/recv
    name: Data received
    severity: warning
    languages: [c, cpp]
    message: "{api} receives data"
    help: Look at what is done with it.
    calls:
      - names: [recv]
`))
	if err != nil {
		t.Fatal(err)
	}
	dirA, dirB := corpus(t, 8), corpus(t, 3)
	write(t, dirB, "only-b.c", []byte("int g(int s, char *b) { return recv(s, b, 1, 0); }\n"))
	setA, setB := builtinSet(t), builtinSet(t, mine)
	wantA, wantB := direct(t, dirA, setA), direct(t, dirB, setB)

	s := newServer(t)
	startWorkers(t, s, 2, 2, nil)
	var gotA, gotB []byte
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); gotA = scanWith(t, dirA, setA, coordinator(connect(t, s), setA)) }()
	go func() { defer wg.Done(); gotB = scanWith(t, dirB, setB, coordinator(connect(t, s), setB)) }()
	wg.Wait()
	if !bytes.Equal(gotA, wantA) {
		t.Errorf("scan A:\n%s", firstDiff(gotA, wantA))
	}
	if !bytes.Equal(gotB, wantB) {
		t.Errorf("scan B:\n%s", firstDiff(gotB, wantB))
	}
	if !bytes.Contains(gotB, []byte(`"mine/recv"`)) || bytes.Contains(gotA, []byte(`"mine/recv"`)) {
		t.Error("the reviewer's pack did not run on scan B only")
	}
}

// watchScan returns the id of the next scan announced on the server.
func watchScan(t *testing.T, js jetstream.JetStream) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	top, err := open(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	w, err := top.scans.WatchAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan string, 1)
	go func() {
		defer w.Stop()
		for e := range w.Updates() {
			if e != nil && e.Operation() == jetstream.KeyValuePut {
				out <- e.Key()
				return
			}
		}
	}()
	return out
}

// runAsync runs a scan in the background; the returned channel gives its SARIF.
func runAsync(t *testing.T, dir string, set *rules.Set, c *Coordinator) <-chan []byte {
	out := make(chan []byte, 1)
	go func() { out <- scanWith(t, dir, set, c) }()
	return out
}

// TestRedeliveryAfterAckWait has a worker take a job and die (it never acks): after AckWait
// the job goes to a live worker and the scan completes with nothing lost.
func TestRedeliveryAfterAckWait(t *testing.T) {
	dir := corpus(t, 4)
	set := builtinSet(t)
	want := direct(t, dir, set)
	s := newServer(t)
	js := connect(t, s)
	ids := watchScan(t, js)
	c := &Coordinator{JS: js, Set: set, AckWait: 700 * time.Millisecond, Log: quiet()}
	start := time.Now()
	done := runAsync(t, dir, set, c)
	id := <-ids

	dead := connect(t, s)
	cons, err := dead.Consumer(context.Background(), JobsStream, jobsConsumer(id))
	if err != nil {
		t.Fatal(err)
	}
	taken, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatalf("the dying worker got no job: %v", err)
	}
	job, err := DecodeJob(taken.Data(), id)
	if err != nil {
		t.Fatal(err)
	}
	ws := startWorkers(t, s, 1, 2, nil)
	got := <-done
	if !bytes.Equal(got, want) {
		t.Fatalf("SARIF after a redelivery differs:\n%s", firstDiff(got, want))
	}
	if el := time.Since(start); el < c.AckWait {
		t.Errorf("scan finished in %s, before the lost job's AckWait", el)
	}
	if st := c.Stats(); ws[0].Jobs() != st.Files || st.Analysed != st.Files {
		t.Errorf("live worker did %d jobs, stats %+v: job %s (%s) was not redelivered", ws[0].Jobs(), st, job.ID, job.Path)
	}
}

// TestDuplicateAndMalformedResults has a rogue worker send one job's result twice, and a
// garbage result for a second job it holds: the coordinator counts the first file once and
// rejects the garbage, and the second job, given back, is analysed by a real worker.
func TestDuplicateAndMalformedResults(t *testing.T) {
	dir := corpus(t, 4)
	set := builtinSet(t)
	want := direct(t, dir, set)
	s := newServer(t)
	js := connect(t, s)
	ids := watchScan(t, js)
	logs := &logBuffer{}
	c := &Coordinator{JS: js, Set: set, Log: logs.logger()}
	done := runAsync(t, dir, set, c)
	id := <-ids

	rogue := connect(t, s)
	ctx := context.Background()
	cons, err := rogue.Consumer(ctx, JobsStream, jobsConsumer(id))
	if err != nil {
		t.Fatal(err)
	}
	take := func() (jetstream.Msg, Job) {
		msg, err := cons.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		job, err := DecodeJob(msg.Data(), id)
		if err != nil {
			t.Fatal(err)
		}
		return msg, job
	}
	first, job := take()
	held, other := take()
	fr := analyseLocally(t, rogue, set, job)
	data, escaped, _ := encodeFileResult(fr)
	res, _ := json.Marshal(Result{Schema: SchemaVersion, Scan: id, Job: job.ID, Worker: "rogue", Payload: Payload{Inline: data, Escaped: escaped}})
	garbage := `{"schema":1,"scan":"` + id + `","job":"` + other.ID + `","result":{"artifact":{"path":"../../etc/passwd"}}}`
	for _, m := range [][]byte{res, res, []byte(garbage)} {
		if _, err := rogue.Publish(ctx, resultsSubject(id), m); err != nil {
			t.Fatal(err)
		}
	}
	first.Ack()
	waitFor(t, "the garbage to be rejected", func() bool { return strings.Contains(logs.String(), "rejected a result message") })
	held.Nak() // the rogue gives the second job back
	startWorkers(t, s, 1, 2, nil)
	got := <-done
	if !bytes.Equal(got, want) {
		t.Fatalf("SARIF differs:\n%s", firstDiff(got, want))
	}
	if st := c.Stats(); st.Duplicates != 1 || st.Rejected != 1 || st.Analysed != st.Files {
		t.Errorf("stats %+v: want the second copy dropped and the garbage rejected", st)
	}
	if l := logs.String(); !strings.Contains(l, "etc/passwd") {
		t.Errorf("the logged reason does not say what was wrong:\n%s", l)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// analyseLocally does what a worker does for job, in the test: fetch the blob, analyse.
func analyseLocally(t *testing.T, js jetstream.JetStream, set *rules.Set, job Job) finding.FileResult {
	t.Helper()
	ctx := context.Background()
	top, err := open(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := newBlobs(top.blobs).get(ctx, job.Blob, MaxContentBytes)
	if err != nil {
		t.Fatal(err)
	}
	e, closeEngine, err := analyze.Build(set, job.options())
	if err != nil {
		t.Fatal(err)
	}
	defer closeEngine()
	sess := e.NewSession()
	defer sess.Close()
	return sess.Analyze(ctx, job.file(raw))
}

// TestPoisonFile makes one file hang every worker that takes it: after MaxDeliver attempts,
// each cut short by the watchdog, it becomes an analysis-failed notification and the scan
// completes with every other file analysed.
func TestPoisonFile(t *testing.T) {
	dir := corpus(t, 4)
	write(t, dir, "poison.c", []byte("int poison(void) { return 0; }\n"))
	set := builtinSet(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	var attempts atomic.Int32
	hang := func(ctx context.Context, s *analyze.Session, f source.File) finding.FileResult {
		if f.Path == "poison.c" {
			attempts.Add(1)
			<-release // ignores ctx, as a hung cgo call would
		}
		return s.Analyze(ctx, f)
	}
	s := newServer(t)
	startWorkers(t, s, 1, 2, func(w *Worker) { w.analyze, w.FileTimeout = hang, 300*time.Millisecond })
	c := &Coordinator{JS: connect(t, s), Set: set, AckWait: 2 * time.Second, MaxDeliver: 2, Log: quiet()}
	got := scanWith(t, dir, set, c)

	var doc struct {
		Runs []struct {
			Invocations []struct {
				Notes []struct {
					Descriptor struct {
						ID string `json:"id"`
					} `json:"descriptor"`
					Level     string `json:"level"`
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						} `json:"physicalLocation"`
					} `json:"locations"`
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range doc.Runs[0].Invocations[0].Notes {
		if n.Descriptor.ID == NoteAnalysisFailed {
			found = true
			if n.Level != "error" || len(n.Locations) != 1 || n.Locations[0].PhysicalLocation.ArtifactLocation.URI != "poison.c" ||
				!strings.Contains(n.Message.Text, "handed out 2 times") {
				t.Errorf("analysis-failed notification: %+v", n)
			}
		}
	}
	if !found {
		t.Fatalf("no %s notification in:\n%s", NoteAnalysisFailed, got)
	}
	if st := c.Stats(); st.Failed != 1 || st.Analysed != st.Files-1 {
		t.Errorf("stats %+v", st)
	}
	if n := attempts.Load(); n != 2 {
		t.Errorf("poison.c was attempted %d times, want MaxDeliver = 2", n)
	}
}

// TestMalformedJobs publishes garbage on a scan's job subject: the worker terminates each
// message with a logged reason that quotes no source text, and none is redelivered.
func TestMalformedJobs(t *testing.T) {
	s := newServer(t)
	js := connect(t, s)
	ctx := context.Background()
	top, err := open(ctx, js)
	if err != nil {
		t.Fatal(err)
	}
	const id = "feedfacefeedface"
	good := Job{Schema: SchemaVersion, Scan: id, ID: "1", Path: "a.c", Lang: "c", Blob: strings.Repeat("a", 64),
		Size: 1, Packs: []string{strings.Repeat("b", 64)}, Engine: analyze.EngineVersion, ParseTimeout: int64(time.Second)}
	mutate := func(f func(*Job)) []byte {
		j := good
		f(&j)
		data, _ := json.Marshal(j)
		return data
	}
	garbage := [][]byte{
		[]byte("int secret_source_line = 42; /* not JSON */"),
		[]byte(`{"schema":1,"scan":"` + id + `","id":"2","path":"a.c","content":"int secret_source_line;"}`),
		mutate(func(j *Job) { j.Schema = 99 }),
		mutate(func(j *Job) { j.Path = "../../etc/shadow" }),
		mutate(func(j *Job) { j.Scan = "otherscan" }),
		mutate(func(j *Job) { j.Blob = "not-a-hash" }),
	}
	scanRun := &scanRun{c: &Coordinator{JS: js, AckWait: time.Second, MaxDeliver: 3}, id: id, t: top, ackWait: time.Second, maxDeliver: 3}
	cons, err := scanRun.jobsConsumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range garbage {
		if _, err := js.Publish(ctx, jobsSubject(id), g); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := js.Publish(ctx, jobsSubject(id), bytes.Repeat([]byte("x"), MaxJobBytes+1)); err == nil {
		t.Error("the jobs stream stored a message larger than MaxJobBytes")
	}
	logs := &logBuffer{}
	startWorkers(t, s, 1, 1, func(w *Worker) { w.Log = logs.logger() })
	data, _ := json.Marshal(Announcement{Schema: SchemaVersion, Scan: id})
	if _, err := top.scans.Put(ctx, id, data); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the rejections", func() bool { return strings.Count(logs.String(), "rejected a job message") >= len(garbage) })
	l := logs.String()
	if n := strings.Count(l, "rejected a job message"); n != len(garbage) {
		t.Fatalf("%d rejections logged, want %d:\n%s", n, len(garbage), l)
	}
	for _, reason := range []string{"not a JSON message", `unknown field \"content\"`, "schema version 99", "not a clean relative slash path", "otherscan", "not a lower-case hex"} {
		if !strings.Contains(l, reason) {
			t.Errorf("no logged reason %q", reason)
		}
	}
	if strings.Contains(l, "secret_source_line") {
		t.Error("a log line quotes the message's content")
	}
	time.Sleep(1500 * time.Millisecond) // past AckWait: a message that was not terminated would come back
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.NumAckPending != 0 || info.NumRedelivered != 0 || info.NumPending != 0 || strings.Count(logs.String(), "rejected a job message") != len(garbage) {
		t.Errorf("after termination: %d pending, %d in flight, %d redelivered", info.NumPending, info.NumAckPending, info.NumRedelivered)
	}
}
