package dist

import (
	"context"
	"fmt"
	"sync"
	"time"

	"glassbox/analyzers/analyze"
	"glassbox/rules"
)

// maxPackBytes bounds a pack fetched from the object store.
const maxPackBytes = 16 << 20

// maxEngines is how many compiled engines a worker keeps; one per pack set and options in
// use, so a worker serving a few scans at once compiles each set once.
const maxEngines = 8

// engines builds and keeps the engines a worker's jobs ask for, keyed by pack set digest and
// options. Compiling packs takes milliseconds per pack and language: worth doing once.
type engines struct {
	blobs *blobs

	mu    sync.Mutex
	packs map[string]*rules.Pack
	built map[string]*engineEntry
}

// engineEntry is one compiled engine, shared by the sessions that hold a reference.
type engineEntry struct {
	key    string
	engine *analyze.Engine
	close  func()
	refs   int
	used   time.Time
	ready  chan struct{}
	err    error
}

func newEngines(b *blobs) *engines {
	return &engines{blobs: b, packs: map[string]*rules.Pack{}, built: map[string]*engineEntry{}}
}

func engineKey(j *Job) string {
	return fmt.Sprint(j.Packs, "\x00", j.options().Key())
}

// acquire returns the engine for the job's packs and options, building it on first use.
// The caller releases it.
func (e *engines) acquire(ctx context.Context, j *Job) (*engineEntry, error) {
	key := engineKey(j)
	e.mu.Lock()
	ent, ok := e.built[key]
	if !ok {
		ent = &engineEntry{key: key, ready: make(chan struct{})}
		e.built[key] = ent
	}
	ent.refs++
	ent.used = time.Now()
	e.mu.Unlock()
	if !ok {
		ent.engine, ent.close, ent.err = e.build(ctx, j)
		close(ent.ready)
	}
	<-ent.ready
	if ent.err != nil {
		e.mu.Lock()
		ent.refs--
		if e.built[key] == ent {
			delete(e.built, key) // let a later job try again
		}
		e.mu.Unlock()
		return nil, ent.err
	}
	return ent, nil
}

// hold adds a reference, for an analysis that outlives its slot's hold on the engine.
func (e *engines) hold(ent *engineEntry) {
	e.mu.Lock()
	ent.refs++
	e.mu.Unlock()
}

// release drops a reference and frees the least recently used unreferenced engines beyond
// maxEngines.
func (e *engines) release(ent *engineEntry) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ent.refs--
	for len(e.built) > maxEngines {
		var oldest *engineEntry
		for _, c := range e.built {
			if c.refs == 0 && c.err == nil && (oldest == nil || c.used.Before(oldest.used)) {
				oldest = c
			}
		}
		if oldest == nil {
			return
		}
		delete(e.built, oldest.key)
		oldest.close()
	}
}

// closeAll frees every engine no session uses. One still held by an abandoned (hung)
// analysis is left to the process's end rather than freed under it.
func (e *engines) closeAll() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, ent := range e.built {
		if ent.close != nil && ent.refs == 0 {
			ent.close()
		}
		delete(e.built, k)
	}
}

func (e *engines) build(ctx context.Context, j *Job) (*analyze.Engine, func(), error) {
	packs := make([]*rules.Pack, len(j.Packs))
	for i, d := range j.Packs {
		p, err := e.pack(ctx, d)
		if err != nil {
			return nil, nil, err
		}
		packs[i] = p
	}
	set, err := rules.NewSet(packs...)
	if err != nil {
		return nil, nil, fmt.Errorf("dist: pack set: %w", err)
	}
	return analyze.Build(set, j.options())
}

// pack fetches a pack by digest and loads it as the coordinator did: same bytes, same rules.
func (e *engines) pack(ctx context.Context, d string) (*rules.Pack, error) {
	e.mu.Lock()
	p, ok := e.packs[d]
	e.mu.Unlock()
	if ok {
		return p, nil
	}
	raw, err := e.blobs.get(ctx, d, maxPackBytes)
	if err != nil {
		return nil, err
	}
	p, err = rules.Load("pack "+d[:12], raw)
	if err != nil {
		return nil, fmt.Errorf("dist: pack %s: %w", d[:12], err)
	}
	e.mu.Lock()
	e.packs[d] = p
	e.mu.Unlock()
	return p, nil
}
