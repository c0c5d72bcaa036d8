package dist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ErrBlob is wrapped by every failure to store or fetch a blob.
var ErrBlob = errors.New("dist: blob")

// blobs is the object store seen as content-addressed storage: a blob's name is the hex
// SHA-256 of its bytes.
type blobs struct {
	store jetstream.ObjectStore

	mu      sync.Mutex
	ensured map[string]*upload // what this process has already stored, or is storing
}

type upload struct {
	done chan struct{}
	err  error
}

func newBlobs(store jetstream.ObjectStore) *blobs {
	return &blobs{store: store, ensured: map[string]*upload{}}
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// ensure stores data under its digest unless the store already has it and it is young
// enough not to expire during a scan. Concurrent calls for one digest upload once: two
// files with the same content in a scan, or a pack and a file, never race each other. A
// coordinator uses one blobs per scan, so what it remembers is never older than the scan.
func (b *blobs) ensure(ctx context.Context, name string, data []byte) error {
	b.mu.Lock()
	u, ok := b.ensured[name]
	if !ok {
		u = &upload{done: make(chan struct{})}
		b.ensured[name] = u
	}
	b.mu.Unlock()
	if ok {
		select {
		case <-u.done:
			return u.err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	u.err = b.put(ctx, name, data)
	if u.err != nil {
		b.mu.Lock()
		delete(b.ensured, name) // let a later call try again
		b.mu.Unlock()
	}
	close(u.done)
	return u.err
}

func (b *blobs) put(ctx context.Context, name string, data []byte) error {
	info, err := b.store.GetInfo(ctx, name)
	if err == nil && !info.Deleted && info.Size == uint64(len(data)) && time.Since(info.ModTime) < BlobTTL/2 {
		return nil
	}
	if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("%w %s: %w", ErrBlob, name, err)
	}
	if _, err := b.store.PutBytes(ctx, name, data); err != nil {
		return fmt.Errorf("%w %s: store: %w", ErrBlob, name, err)
	}
	return nil
}

// get fetches a blob and checks that its content has the digest it is named by, so a
// corrupted or substituted blob is never analysed as the file a job names.
func (b *blobs) get(ctx context.Context, name string, limit int64) ([]byte, error) {
	info, err := b.store.GetInfo(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrBlob, name, err)
	}
	if int64(info.Size) > limit {
		return nil, fmt.Errorf("%w %s: %d bytes, more than the %d allowed", ErrBlob, name, info.Size, limit)
	}
	data, err := b.store.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrBlob, name, err)
	}
	if digest(data) != name {
		return nil, fmt.Errorf("%w %s: content does not match its SHA-256", ErrBlob, name)
	}
	return data, nil
}

// payload turns an encoded result into a Payload: inline when it fits a message, else a
// blob. It does not remember what it stored, so a long-running worker never trusts a
// memory older than the blob's lifetime.
func (b *blobs) payload(ctx context.Context, data []byte, escaped bool, inlineLimit int) (Payload, error) {
	if len(data) <= inlineLimit {
		return Payload{Inline: data, Escaped: escaped}, nil
	}
	name := digest(data)
	if err := b.put(ctx, name, data); err != nil {
		return Payload{}, err
	}
	return Payload{Blob: name, Escaped: escaped}, nil
}

// open returns a payload's encoded result.
func (b *blobs) open(ctx context.Context, p Payload) ([]byte, error) {
	if p.Blob == "" {
		return p.Inline, nil
	}
	return b.get(ctx, p.Blob, MaxResultBytes)
}
