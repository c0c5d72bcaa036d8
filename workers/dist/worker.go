package dist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// ErrHung is returned by Worker.Run when too many analyses are stuck past their watchdog:
// a goroutine stuck in a cgo call cannot be stopped, only the process can, so the worker
// stops taking jobs and asks to be restarted.
var ErrHung = errors.New("dist: too many analyses hung past their watchdog; restart the worker")

// idlePoll is how long a free slot waits on one scan's jobs before looking at the others.
const idlePoll = time.Second

// opTimeout bounds one request to the server on a job's behalf.
const opTimeout = 30 * time.Second

// Worker pulls jobs of any running scan and analyses them. Its fields are set before Run.
type Worker struct {
	JS jetstream.JetStream
	// Concurrency is the number of files analysed at once; 0 means one per CPU. The worker
	// holds up to twice as many jobs, fetching and replying while others are analysed.
	Concurrency int
	// FileTimeout is the watchdog on one file's analysis; 0 means twice the job's parse
	// timeout plus 30s. A file past it is given back to the queue.
	FileTimeout time.Duration
	// Name identifies the worker in results and logs; "" means host:pid.
	Name string
	Log  *slog.Logger // nil for slog.Default()

	// analyze is the per-file stage; nil means Session.Analyze. Tests replace it to make
	// a file hang.
	analyze func(context.Context, *analyze.Session, source.File) finding.FileResult

	log     *slog.Logger
	sem     chan struct{} // one token per file being analysed
	blobs   *blobs
	engines *engines
	inline  int
	hung    atomic.Int64
	done    atomic.Int64
}

// Jobs returns how many jobs this worker has completed (result published and acked).
func (w *Worker) Jobs() int { return int(w.done.Load()) }

// Run serves jobs until ctx ends, then lets the jobs in hand finish (drain) and returns.
// It returns an error when it cannot reach JetStream or when analyses hang (ErrHung).
func (w *Worker) Run(ctx context.Context) error {
	w.log = w.Log
	if w.log == nil {
		w.log = slog.Default()
	}
	if w.Name == "" {
		host, _ := os.Hostname()
		w.Name = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	w.log = w.log.With("worker", w.Name)
	n := w.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	t, err := open(ctx, w.JS)
	if err != nil {
		return err
	}
	w.blobs = newBlobs(t.blobs)
	w.engines = newEngines(w.blobs)
	defer w.engines.closeAll()
	w.inline = int(w.JS.Conn().MaxPayload()) / 2
	reg := newRegistry(t, w.log)
	w.sem = make(chan struct{}, n)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, n+1)
	var watchWG sync.WaitGroup
	watchWG.Add(1)
	go func() {
		defer watchWG.Done()
		if err := reg.watch(ctx); err != nil {
			errc <- fmt.Errorf("dist: watch scans: %w", err)
			cancel()
		}
	}()
	// Twice as many lanes as analyses: while one lane analyses, the other fetches its next
	// job and content or publishes its last result, so the CPUs do not wait on the
	// server's round trips. The semaphore keeps analyses to n at once.
	var wg sync.WaitGroup
	for range 2 * n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.slot(ctx, reg, n); err != nil {
				errc <- err
				cancel()
			}
		}()
	}
	wg.Wait()
	cancel()
	watchWG.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// slot is one analysis lane: it takes a job, analyses it, and takes the next. It keeps a
// session on the engine of the last job, so jobs of one scan reuse parsers.
type slot struct {
	ent  *engineEntry
	sess *analyze.Session
}

func (s *slot) close(e *engines) {
	if s.sess != nil {
		s.sess.Close()
		e.release(s.ent)
	}
	s.ent, s.sess = nil, nil
}

func (w *Worker) slot(ctx context.Context, reg *registry, n int) error {
	var sl slot
	defer sl.close(w.engines)
	for {
		msg, sc := w.next(ctx, reg)
		if msg == nil {
			return nil
		}
		w.handle(msg, sc, &sl)
		if w.hung.Load() > int64(2*n) {
			return ErrHung
		}
	}
}

// pulled is a job message and the scan it came from.
type pulled struct {
	id      string
	ackWait time.Duration
}

// next returns the next job of any running scan, asking each without waiting and then
// waiting briefly on one, or nil when ctx ends.
func (w *Worker) next(ctx context.Context, reg *registry) (jetstream.Msg, pulled) {
	for ctx.Err() == nil {
		scans, changed := reg.snapshot()
		if len(scans) == 0 {
			select {
			case <-ctx.Done():
			case <-changed:
			case <-time.After(idlePoll):
			}
			continue
		}
		for _, sc := range scans {
			cons, wait, err := reg.consumer(ctx, sc)
			if err != nil {
				continue
			}
			batch, err := cons.FetchNoWait(1)
			if err != nil {
				continue
			}
			if msg := <-batch.Messages(); msg != nil {
				return msg, pulled{sc.id, wait}
			}
		}
		cons, wait, err := reg.consumer(ctx, scans[0])
		if err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(idlePoll / 4):
			}
			continue
		}
		pctx, cancel := context.WithTimeout(ctx, idlePoll)
		msg, err := cons.Next(jetstream.FetchContext(pctx))
		cancel()
		if err == nil && msg != nil {
			return msg, pulled{scans[0].id, wait}
		}
	}
	return nil, pulled{}
}

// handle runs one job to its end: a published result and an ack, a nak when the job could
// not be done here (another worker may), or a term when the message is malformed.
func (w *Worker) handle(msg jetstream.Msg, sc pulled, sl *slot) {
	job, err := DecodeJob(msg.Data(), sc.id)
	if err != nil {
		w.log.Warn("rejected a job message", "scan", sc.id, "subject", msg.Subject(), "bytes", len(msg.Data()), "reason", err)
		msg.TermWithReason("malformed job")
		return
	}
	log := w.log.With("scan", job.Scan, "job", job.ID, "path", job.Path)
	if job.Engine != analyze.EngineVersion {
		log.Warn("job needs another engine version; leaving it to another worker", "want", job.Engine, "have", analyze.EngineVersion)
		msg.NakWithDelay(time.Second)
		return
	}
	stop := keepAlive(msg, sc.ackWait)
	fr, err := w.process(&job, sl, log)
	if err != nil {
		stop()
		log.Warn("giving the job back", "reason", err)
		if errors.Is(err, errWatchdog) {
			msg.Nak()
		} else {
			msg.NakWithDelay(time.Second)
		}
		return
	}
	err = w.reply(&job, fr)
	stop()
	if err != nil {
		log.Warn("could not publish the result; giving the job back", "err", err)
		msg.NakWithDelay(time.Second)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := msg.DoubleAck(ctx); err != nil {
		// The result is stored: a redelivery only produces a duplicate, which the
		// coordinator drops.
		log.Debug("ack failed after the result was published", "err", err)
	}
	w.done.Add(1)
}

// keepAlive tells the server the job is being worked on every third of its AckWait, so a
// long file is not handed to another worker; the returned function stops it, and no
// progress ack is sent after it returns.
func keepAlive(msg jetstream.Msg, ackWait time.Duration) func() {
	if ackWait <= 0 {
		ackWait = DefaultAckWait
	}
	every := max(ackWait/3, 50*time.Millisecond)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				msg.InProgress()
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}

var errWatchdog = errors.New("dist: analysis exceeded the worker's watchdog")

// process fetches what the job names and analyses it.
func (w *Worker) process(job *Job, sl *slot, log *slog.Logger) (finding.FileResult, error) {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	key := engineKey(job)
	if sl.ent == nil || sl.ent.key != key {
		sl.close(w.engines)
		ent, err := w.engines.acquire(ctx, job)
		if err != nil {
			return finding.FileResult{}, err
		}
		sl.ent, sl.sess = ent, ent.engine.NewSession()
	}
	raw, err := w.blobs.get(ctx, job.Blob, MaxContentBytes)
	if err != nil {
		return finding.FileResult{}, err
	}
	if int64(len(raw)) != job.Size {
		return finding.FileResult{}, fmt.Errorf("%w: content is %d bytes, the job says %d", ErrBlob, len(raw), job.Size)
	}
	return w.watch(job, raw, sl, log)
}

// watch runs the analysis under the watchdog. When it fires, the analysis is abandoned: its
// goroutine keeps its session and a hold on the engine, and frees both if it ever returns;
// the slot gets a new session.
func (w *Worker) watch(job *Job, raw []byte, sl *slot, log *slog.Logger) (finding.FileResult, error) {
	limit := w.FileTimeout
	if limit <= 0 {
		limit = 2*time.Duration(job.ParseTimeout) + 30*time.Second
	}
	ctx, cancel := context.WithCancel(context.Background())
	const running, finished, abandoned = 0, 1, 2
	var state atomic.Int32
	done := make(chan finding.FileResult, 1)
	sess, ent, f := sl.sess, sl.ent, job.file(raw)
	analyse := w.analyze
	if analyse == nil {
		analyse = func(ctx context.Context, s *analyze.Session, f source.File) finding.FileResult {
			return s.Analyze(ctx, f)
		}
	}
	w.sem <- struct{}{}
	release := sync.OnceFunc(func() { <-w.sem })
	go func() {
		fr := analyse(ctx, sess, f)
		release()
		if state.CompareAndSwap(running, finished) {
			done <- fr
			return
		}
		sess.Close()
		w.engines.release(ent)
		w.hung.Add(-1)
		log.Info("an abandoned analysis finished after all")
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case fr := <-done:
		cancel()
		return fr, nil
	case <-timer.C:
	}
	// The hold and the count come first: once abandoned, the goroutine may finish and
	// undo them at any moment.
	w.engines.hold(ent)
	w.hung.Add(1)
	if !state.CompareAndSwap(running, abandoned) {
		w.hung.Add(-1)
		w.engines.release(ent)
		cancel()
		return <-done, nil
	}
	cancel()
	release() // the hung analysis no longer counts against the CPUs
	sl.sess = ent.engine.NewSession()
	return finding.FileResult{}, fmt.Errorf("%w (%s)", errWatchdog, limit)
}

// reply publishes the job's result and waits for the stream to store it. The message id
// lets the server drop a second result for the same job (a redelivered job).
func (w *Worker) reply(job *Job, fr finding.FileResult) error {
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	data, escaped, err := encodeFileResult(fr)
	if err != nil {
		return err
	}
	p, err := w.blobs.payload(ctx, data, escaped, w.inline)
	if err != nil {
		return err
	}
	msg, err := json.Marshal(Result{Schema: SchemaVersion, Scan: job.Scan, Job: job.ID, Worker: w.Name, Payload: p})
	if err != nil {
		return err
	}
	_, err = w.JS.Publish(ctx, resultsSubject(job.Scan), msg, jetstream.WithMsgID(job.Scan+"-"+job.ID))
	return err
}
