package dist

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"glassbox/analyzers/analyze"
	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
	"glassbox/rules"
)

// NoteAnalysisFailed is the notification for a file no worker could analyse: the workers
// that took it crashed, hung or gave it back MaxDeliver times.
const NoteAnalysisFailed = "analysis-failed"

// Defaults for Coordinator.
const (
	DefaultAckWait    = 30 * time.Second
	DefaultMaxDeliver = 3
	// uploaders is how many files a coordinator uploads and publishes at once: enough to
	// keep workers fed while each upload waits for the server.
	uploaders = 4
	// resultAttempts bounds how often a result whose blob cannot be fetched is retried.
	resultAttempts = 5
)

// Observer hears about a scan's progress; progress.Meter implements it. Calls come from
// several goroutines.
type Observer interface {
	Queued()                                    // one more file to analyse
	Finished(r finding.FileResult, cached bool) // a file's result is in
	Listed()                                    // the walk is over: the total is final
}

// Stats count what happened to a scan's files.
type Stats struct {
	Files      int // files received from the walk
	Cached     int // results taken from the cache: no job was sent
	Analysed   int // results received from workers
	Failed     int // jobs that became analysis-failed notifications
	Duplicates int // results dropped because their job's result was already in
	Rejected   int // result messages dropped as malformed
}

// Coordinator is the scan.Executor that runs the per-file stage on JetStream workers. Its
// fields are set before Run; one Coordinator runs one scan at a time.
type Coordinator struct {
	JS      jetstream.JetStream
	Set     *rules.Set
	Options analyze.Options
	// Cache looks results up in, and adds them to, the result cache.
	Cache bool
	// AckWait is how long a job may go without a sign of life (a worker acks progress
	// every AckWait/3) before it is given to another worker. 0 means DefaultAckWait.
	AckWait time.Duration
	// MaxDeliver is how many times a job is handed out before it becomes an
	// analysis-failed notification. 0 means DefaultMaxDeliver.
	MaxDeliver int
	Observer   Observer     // nil for none
	Log        *slog.Logger // nil for slog.Default()

	stats Stats
}

// Stats returns the counts of the last Run.
func (c *Coordinator) Stats() Stats { return c.stats }

// Run implements scan.Executor: one result per file, from the cache or from a worker.
func (c *Coordinator) Run(ctx context.Context, files <-chan source.File, results chan<- finding.FileResult) error {
	s, err := c.start(ctx, results)
	if err != nil {
		return err
	}
	defer s.cleanup()
	err = s.run(ctx, files)
	c.stats = s.counts()
	return err
}

// scanRun is the state of one scan.
type scanRun struct {
	c          *Coordinator
	log        *slog.Logger
	id         string
	t          *topology
	blobs      *blobs
	cache      *resultCache // nil when caching is off
	jobs, res  jetstream.Consumer
	advisories chan *nats.Msg
	advSub     *nats.Subscription
	results    chan<- finding.FileResult
	packs      []string
	setDigest  string
	optsKey    string
	ackWait    time.Duration
	maxDeliver int
	inline     int // largest result a worker sends inline

	mu      sync.Mutex
	pending map[string]*pendingJob // published jobs without a result, by id
	bySeq   map[uint64]string      // their stream sequences
	nextID  atomic.Int64
	// remaining counts files received and not yet delivered; the scan is over when the
	// walk is and it is zero.
	remaining atomic.Int64
	wake      chan struct{}
	idleSeen  int

	files, cached, analysed, failed, duplicates, rejected atomic.Int64
}

type pendingJob struct {
	job Job
	key string // cache key
	seq uint64 // stream sequence, 0 until published
}

func newScanID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (c *Coordinator) start(ctx context.Context, results chan<- finding.FileResult) (*scanRun, error) {
	s := &scanRun{c: c, id: newScanID(), results: results, pending: map[string]*pendingJob{},
		bySeq: map[uint64]string{}, wake: make(chan struct{}, 1),
		ackWait: c.AckWait, maxDeliver: c.MaxDeliver, setDigest: c.Set.Digest(), optsKey: c.Options.Key()}
	if s.ackWait <= 0 {
		s.ackWait = DefaultAckWait
	}
	if s.maxDeliver <= 0 {
		s.maxDeliver = DefaultMaxDeliver
	}
	s.log = c.Log
	if s.log == nil {
		s.log = slog.Default()
	}
	s.log = s.log.With("scan", s.id)
	s.inline = int(c.JS.Conn().MaxPayload()) / 2
	var err error
	if s.t, err = open(ctx, c.JS); err != nil {
		return nil, err
	}
	s.blobs = newBlobs(s.t.blobs)
	if c.Cache {
		kv, err := s.t.cache(ctx)
		if err != nil {
			return nil, err
		}
		s.cache = &resultCache{kv: kv, blobs: s.blobs, log: s.log}
	}
	for _, p := range c.Set.Packs {
		if err := s.blobs.ensure(ctx, p.Digest, p.Raw); err != nil {
			return nil, fmt.Errorf("dist: pack %s: %w", p.Name, err)
		}
		s.packs = append(s.packs, p.Digest)
	}
	if err := s.consumers(ctx); err != nil {
		s.cleanup()
		return nil, err
	}
	s.advisories = make(chan *nats.Msg, 64)
	if s.advSub, err = c.JS.Conn().ChanSubscribe(maxDeliveriesAdvisory(s.id), s.advisories); err != nil {
		s.cleanup()
		return nil, fmt.Errorf("dist: advisories: %w", err)
	}
	if err := s.announce(ctx); err != nil {
		s.cleanup()
		return nil, err
	}
	s.log.Debug("scan started", "packs", len(s.packs), "ack_wait", s.ackWait, "max_deliver", s.maxDeliver)
	return s, nil
}

// consumers creates the scan's two consumers.
func (s *scanRun) consumers(ctx context.Context) error {
	var err error
	if s.jobs, err = s.jobsConsumer(ctx); err != nil {
		return err
	}
	s.res, err = s.c.JS.CreateOrUpdateConsumer(ctx, ResultsStream, jetstream.ConsumerConfig{
		Name: resultsConsumer(s.id), Description: "glassbox: results of scan " + s.id,
		FilterSubject: resultsSubject(s.id), AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: 5 * time.Minute, MaxDeliver: resultAttempts, InactiveThreshold: consumerIdle,
	})
	if err != nil {
		return fmt.Errorf("dist: results consumer: %w", err)
	}
	return nil
}

// jobsConsumer creates the consumer every worker pulls this scan's jobs from, or re-creates
// it if the server deleted it for inactivity (no worker pulled for consumerIdle): its jobs
// are still in the stream.
func (s *scanRun) jobsConsumer(ctx context.Context) (jetstream.Consumer, error) {
	c, err := s.c.JS.CreateOrUpdateConsumer(ctx, JobsStream, jetstream.ConsumerConfig{
		Name: jobsConsumer(s.id), Description: "glassbox: jobs of scan " + s.id,
		FilterSubject: jobsSubject(s.id), AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: s.ackWait, MaxDeliver: s.maxDeliver, MaxAckPending: 4096,
		InactiveThreshold: consumerIdle,
	})
	if err != nil {
		return nil, fmt.Errorf("dist: jobs consumer: %w", err)
	}
	return c, nil
}

func (s *scanRun) announce(ctx context.Context) error {
	data, _ := json.Marshal(Announcement{Schema: SchemaVersion, Scan: s.id})
	if _, err := s.t.scans.Put(ctx, s.id, data); err != nil {
		return fmt.Errorf("dist: announce scan: %w", err)
	}
	return nil
}

// cleanup deletes everything that belongs to this scan alone: its consumers, whatever is
// left on its subjects, its announcement. It runs even when the scan was cancelled.
func (s *scanRun) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if s.advSub != nil {
		s.advSub.Unsubscribe()
	}
	if err := s.t.scans.Delete(ctx, s.id); err != nil {
		s.log.Warn("cleanup: announcement", "err", err)
	}
	for stream, name := range map[string]string{JobsStream: jobsConsumer(s.id), ResultsStream: resultsConsumer(s.id)} {
		if err := s.c.JS.DeleteConsumer(ctx, stream, name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			s.log.Warn("cleanup: consumer", "consumer", name, "err", err)
		}
	}
	for st, subj := range map[jetstream.Stream]string{s.t.jobs: jobsSubject(s.id), s.t.results: resultsSubject(s.id)} {
		if err := st.Purge(ctx, jetstream.WithPurgeSubject(subj)); err != nil {
			s.log.Warn("cleanup: purge", "subject", subj, "err", err)
		}
	}
}

func (s *scanRun) counts() Stats {
	return Stats{Files: int(s.files.Load()), Cached: int(s.cached.Load()), Analysed: int(s.analysed.Load()),
		Failed: int(s.failed.Load()), Duplicates: int(s.duplicates.Load()), Rejected: int(s.rejected.Load())}
}

func (s *scanRun) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// run feeds files, receives results and watches for lost jobs until every file has its
// result. Every goroutine that may send a result has stopped when it returns.
func (s *scanRun) run(ctx context.Context, files <-chan source.File) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	errc := make(chan error, uploaders+2)
	fail := func(err error) {
		select {
		case errc <- err:
		default:
		}
	}
	goFn := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	goFn(func() {
		if err := s.receive(ctx); err != nil {
			fail(err)
		}
	})
	goFn(func() { s.watchAdvisories(ctx) })
	goFn(func() { s.heartbeat(ctx) })
	var feeders sync.WaitGroup
	for range uploaders {
		feeders.Add(1)
		goFn(func() {
			defer feeders.Done()
			if err := s.feed(ctx, files); err != nil {
				fail(err)
			}
		})
	}
	listed := make(chan struct{})
	goFn(func() { feeders.Wait(); close(listed) })

	sweep := time.NewTicker(min(2*time.Second, s.ackWait))
	defer sweep.Stop()
	walkOver := false
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			return err
		case <-listed:
			listed = nil
			if ctx.Err() != nil {
				return ctx.Err()
			}
			walkOver = true
			if s.c.Observer != nil {
				s.c.Observer.Listed()
			}
		case <-s.wake:
		case <-sweep.C:
			if walkOver {
				s.sweep(ctx)
			}
		}
		if walkOver && s.remaining.Load() == 0 {
			return nil
		}
	}
}

// feed takes files from the walk until it ends: each is answered from the cache or
// uploaded and published as a job.
func (s *scanRun) feed(ctx context.Context, files <-chan source.File) error {
	for {
		var f source.File
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case f, ok = <-files:
			if !ok {
				return nil
			}
		}
		s.files.Add(1)
		s.remaining.Add(1)
		if s.c.Observer != nil {
			s.c.Observer.Queued()
		}
		key := cacheKey(f, s.setDigest, s.optsKey)
		if s.cache != nil {
			if fr, ok := s.cache.get(ctx, key, f); ok {
				s.cached.Add(1)
				s.deliver(ctx, fr, true)
				continue
			}
		}
		if err := s.publish(ctx, f, key); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

func (s *scanRun) publish(ctx context.Context, f source.File, key string) error {
	if err := s.blobs.ensure(ctx, f.SHA256, f.Raw); err != nil {
		return fmt.Errorf("%w (file %s)", err, f.Path)
	}
	opts := s.c.Options
	if opts.ParseTimeout <= 0 {
		opts.ParseTimeout = analyze.DefaultParseTimeout
	}
	job := Job{Schema: SchemaVersion, Scan: s.id, ID: strconv.FormatInt(s.nextID.Add(1), 10),
		Path: f.Path, Lang: string(f.Lang), Header: f.Header, Blob: f.SHA256, Size: int64(len(f.Raw)),
		Packs: s.packs, Engine: analyze.EngineVersion, ParseTimeout: int64(opts.ParseTimeout), Encoding: opts.Encoding}
	if err := job.Validate(); err != nil {
		// Workers would refuse it: a bad option or path is this scan's error, not theirs.
		return fmt.Errorf("dist: %s: %w", f.Path, err)
	}
	data, err := json.Marshal(job)
	if err != nil {
		return err
	}
	p := &pendingJob{job: job, key: key}
	s.mu.Lock()
	s.pending[job.ID] = p
	s.mu.Unlock()
	ack, err := s.c.JS.Publish(ctx, jobsSubject(s.id), data, jetstream.WithMsgID(s.id+"-"+job.ID))
	if err != nil {
		return fmt.Errorf("dist: publish job for %s: %w", f.Path, err)
	}
	s.mu.Lock()
	p.seq = ack.Sequence
	s.bySeq[ack.Sequence] = job.ID
	s.mu.Unlock()
	return nil
}

// deliver hands one file's result to the scan and counts it done.
func (s *scanRun) deliver(ctx context.Context, fr finding.FileResult, cached bool) {
	select {
	case s.results <- fr:
	case <-ctx.Done():
		return
	}
	if s.c.Observer != nil {
		s.c.Observer.Finished(fr, cached)
	}
	s.remaining.Add(-1)
	s.signal()
}

// claim takes a job out of pending; false means its result is already in.
func (s *scanRun) claim(id string) (*pendingJob, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pending[id]
	if ok {
		delete(s.pending, id)
		delete(s.bySeq, p.seq)
	}
	return p, ok
}

func (s *scanRun) peek(id string) *pendingJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending[id]
}

// receive consumes the scan's results until ctx ends. Decoding a result costs about as
// much as producing it, so results are handled by one goroutine per CPU: a single one
// would cap the scan at one core's worth of workers.
func (s *scanRun) receive(ctx context.Context) error {
	it, err := s.res.Messages(jetstream.PullMaxMessages(64))
	if err != nil {
		return fmt.Errorf("dist: results: %w", err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	msgs := make(chan jetstream.Msg)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for msg := range msgs {
				s.result(ctx, msg)
			}
		}()
	}
	defer wg.Wait()
	defer close(msgs)
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return nil
			}
			return fmt.Errorf("dist: results: %w", err)
		}
		select {
		case msgs <- msg:
		case <-ctx.Done():
			return nil
		}
	}
}

// result handles one result message. A malformed one is terminated (never redelivered)
// with a logged reason; its job stays pending and the sweep reports it if no good result
// comes.
func (s *scanRun) result(ctx context.Context, msg jetstream.Msg) {
	r, err := DecodeResult(msg.Data(), s.inline*2, s.id)
	if err != nil {
		s.reject(msg, "", err)
		return
	}
	p := s.peek(r.Job)
	if p == nil {
		s.duplicates.Add(1)
		s.log.Debug("duplicate result dropped", "job", r.Job, "worker", r.Worker)
		msg.Ack()
		return
	}
	data, err := s.blobs.open(ctx, r.Payload)
	if err != nil && !errors.Is(err, ErrInvalidMessage) && ctx.Err() == nil {
		// The result's blob could not be read just now: try the message again later.
		// After resultAttempts the server drops it and the sweep reports the file.
		s.log.Warn("could not fetch a result; retrying", "path", p.job.Path, "job", r.Job, "err", err)
		msg.NakWithDelay(time.Second)
		return
	}
	if err == nil {
		var fr finding.FileResult
		if fr, err = checkFileResult(data, r.Escaped, p.job.Path, p.job.Blob); err == nil {
			if _, ok := s.claim(r.Job); !ok {
				s.duplicates.Add(1)
				msg.Ack()
				return
			}
			if s.cache != nil && cacheable(fr) {
				s.cache.put(ctx, p.key, r.Payload)
			}
			s.analysed.Add(1)
			s.deliver(ctx, fr, false)
			msg.Ack()
			return
		}
	}
	s.reject(msg, p.job.Path, err)
}

func (s *scanRun) reject(msg jetstream.Msg, path string, reason error) {
	s.rejected.Add(1)
	s.log.Warn("rejected a result message", "subject", msg.Subject(), "path", path, "bytes", len(msg.Data()), "reason", reason)
	msg.TermWithReason("malformed result")
}

// watchAdvisories turns the server's max-deliveries advisories for this scan's jobs into
// analysis-failed results.
func (s *scanRun) watchAdvisories(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-s.advisories:
			var adv struct {
				StreamSeq  uint64 `json:"stream_seq"`
				Deliveries int    `json:"deliveries"`
			}
			if err := json.Unmarshal(m.Data, &adv); err != nil {
				s.log.Warn("malformed max-deliveries advisory", "err", err)
				continue
			}
			s.mu.Lock()
			id, ok := s.bySeq[adv.StreamSeq]
			s.mu.Unlock()
			if ok {
				s.failJob(ctx, id, adv.Deliveries)
			}
		}
	}
}

// failJob reports a job no worker completed as an analysis-failed notification and removes
// its message, which a work queue would otherwise keep.
func (s *scanRun) failJob(ctx context.Context, id string, deliveries int) {
	p, ok := s.claim(id)
	if !ok {
		return
	}
	if p.seq != 0 {
		if err := s.t.jobs.DeleteMsg(ctx, p.seq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			s.log.Debug("could not delete a failed job", "job", id, "err", err)
		}
	}
	j := p.job
	s.log.Warn("file not analysed: every worker that took it failed", "path", j.Path, "job", id, "deliveries", deliveries)
	s.failed.Add(1)
	s.deliver(ctx, finding.FileResult{
		Artifact: finding.Artifact{Path: j.Path, Lang: j.Lang, Length: j.Size, SHA256: j.Blob},
		Notifications: []finding.Notification{{ID: NoteAnalysisFailed, Level: finding.Error, Path: j.Path,
			Message: fmt.Sprintf("not analysed: no worker returned a result for this file; it was handed out %d times and each worker crashed, timed out or gave it back, so it was not retried further", deliveries)}},
	}, false)
}

// sweep is the safety net under the advisories, which the server sends at most once: when
// the walk is over, both consumers have nothing pending or in flight twice in a row and
// jobs still have no result, those jobs are lost (max deliveries reached with the advisory
// missed, or a result rejected) and are reported as failed.
func (s *scanRun) sweep(ctx context.Context) {
	s.mu.Lock()
	var ids []string
	for id, p := range s.pending {
		if p.seq != 0 {
			ids = append(ids, id)
		}
	}
	s.mu.Unlock()
	if len(ids) == 0 {
		s.idleSeen = 0
		return
	}
	s.mu.Lock()
	jobs := s.jobs
	s.mu.Unlock()
	ji, err := jobs.Info(ctx)
	if err != nil {
		return
	}
	ri, err := s.res.Info(ctx)
	if err != nil {
		return
	}
	if ji.NumPending > 0 || ji.NumAckPending > 0 || ri.NumPending > 0 || ri.NumAckPending > 0 {
		s.idleSeen = 0
		return
	}
	if s.idleSeen++; s.idleSeen < 2 {
		return
	}
	for _, id := range ids {
		s.failJob(ctx, id, s.maxDeliver)
	}
}

// heartbeat keeps the scan announced and its consumers present while it runs.
func (s *scanRun) heartbeat(ctx context.Context) {
	t := time.NewTicker(announceEvery)
	defer t.Stop()
	warned := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.announce(ctx); err != nil {
				s.log.Warn("heartbeat", "err", err)
			}
			s.mu.Lock()
			jobs := s.jobs
			s.mu.Unlock()
			info, err := jobs.Info(ctx)
			if err == nil {
				warned = s.warnIdle(info, warned)
			}
			if errors.Is(err, jetstream.ErrConsumerNotFound) {
				c, err := s.jobsConsumer(ctx)
				if err != nil {
					s.log.Warn("heartbeat: re-creating the jobs consumer", "err", err)
					continue
				}
				s.mu.Lock()
				s.jobs = c
				s.mu.Unlock()
			}
		}
	}
}

// warnIdle says once when jobs wait and no worker is pulling or working on any: a
// coordinator on a deployment with no worker would otherwise wait in silence.
func (s *scanRun) warnIdle(info *jetstream.ConsumerInfo, warned bool) bool {
	idle := info.NumPending > 0 && info.NumAckPending == 0 && info.NumWaiting == 0
	if idle && !warned {
		s.log.Warn("jobs are waiting and no worker is taking them: start `glassbox worker --nats URL` on this deployment", "waiting", info.NumPending)
	}
	return idle
}
