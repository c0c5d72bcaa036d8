package dist

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// registry is a worker's view of the running scans: it watches the announcements bucket
// and resolves each scan's jobs consumer on first use.
type registry struct {
	t   *topology
	log *slog.Logger

	mu      sync.Mutex
	scans   map[string]*scanEntry
	changed chan struct{} // closed and replaced when a scan appears
	rr      atomic.Uint64 // rotates which scan a slot asks first
}

type scanEntry struct {
	id      string
	cons    jetstream.Consumer
	ackWait time.Duration
}

func newRegistry(t *topology, log *slog.Logger) *registry {
	return &registry{t: t, log: log, scans: map[string]*scanEntry{}, changed: make(chan struct{})}
}

// reconcileEvery re-lists announcements: an announcement that expires (its coordinator died)
// leaves no event for a watcher.
const reconcileEvery = 30 * time.Second

// watch follows the announcements until ctx ends.
func (r *registry) watch(ctx context.Context) error {
	w, err := r.t.scans.WatchAll(ctx)
	if err != nil {
		return err
	}
	defer w.Stop()
	tick := time.NewTicker(reconcileEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			r.reconcile(ctx)
		case e, ok := <-w.Updates():
			if !ok {
				return nil
			}
			if e == nil {
				continue // the initial values are in
			}
			if e.Operation() != jetstream.KeyValuePut {
				r.remove(e.Key())
				continue
			}
			var a Announcement
			if err := decodeStrict(e.Value(), 4096, &a); err != nil || a.Schema != SchemaVersion || a.Scan != e.Key() || !idPattern.MatchString(a.Scan) {
				r.log.Warn("ignoring a malformed scan announcement", "key", e.Key(), "reason", errors.Join(err, invalid("schema %d, scan %.80q", a.Schema, a.Scan)))
				continue
			}
			r.add(a.Scan)
		}
	}
}

func (r *registry) reconcile(ctx context.Context) {
	keys, err := r.t.scans.Keys(ctx)
	if err != nil && !errors.Is(err, jetstream.ErrNoKeysFound) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for id := range r.scans {
		if !slices.Contains(keys, id) {
			delete(r.scans, id)
		}
	}
}

func (r *registry) add(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.scans[id]; ok {
		return
	}
	r.scans[id] = &scanEntry{id: id}
	close(r.changed)
	r.changed = make(chan struct{})
}

func (r *registry) remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.scans, id)
}

// snapshot returns the running scans, rotated so that slots spread over them, and a channel
// closed when a scan is added.
func (r *registry) snapshot() ([]*scanEntry, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*scanEntry, 0, len(r.scans))
	for _, e := range r.scans {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b *scanEntry) int { return strings.Compare(a.id, b.id) })
	if n := len(out); n > 1 {
		k := int(r.rr.Add(1) % uint64(n))
		out = slices.Concat(out[k:], out[:k])
	}
	return out, r.changed
}

// consumer resolves a scan's jobs consumer. A scan whose consumer is gone has ended.
func (r *registry) consumer(ctx context.Context, e *scanEntry) (jetstream.Consumer, time.Duration, error) {
	r.mu.Lock()
	cons, wait := e.cons, e.ackWait
	r.mu.Unlock()
	if cons != nil {
		return cons, wait, nil
	}
	cons, err := r.t.js.Consumer(ctx, JobsStream, jobsConsumer(e.id))
	if err != nil {
		if errors.Is(err, jetstream.ErrConsumerNotFound) {
			r.remove(e.id)
		}
		return nil, 0, err
	}
	wait = cons.CachedInfo().Config.AckWait
	r.mu.Lock()
	e.cons, e.ackWait = cons, wait
	r.mu.Unlock()
	return cons, wait, nil
}
