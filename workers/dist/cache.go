package dist

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"

	"glassbox/analyzers/finding"
	"glassbox/analyzers/source"
)

// cacheSchema versions the cache layout; bump it to orphan every entry.
const cacheSchema = "glassbox-cache/1"

// cacheKey names a file's result: its content, and everything else that goes into it — the
// packs (set digest) and the engine (analyze.Options.Key, which carries EngineVersion).
// The path, language and header flag are in the key too, because a result names its file:
// the same bytes at another path are another result (and may be another language).
func cacheKey(f source.File, setDigest, optionsKey string) string {
	h := sha256.New()
	for _, part := range []string{cacheSchema, f.SHA256, f.Path, string(f.Lang), strconv.FormatBool(f.Header), setDigest, optionsKey} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// resultCache is the KV bucket of per-file results, stored as the Payload a worker sent.
type resultCache struct {
	kv    jetstream.KeyValue
	blobs *blobs
	log   *slog.Logger
}

// get returns the cached result for key, checked against the file it must describe. Any
// problem (missing, expired blob, malformed) is a miss: the file is analysed again.
func (c *resultCache) get(ctx context.Context, key string, f source.File) (finding.FileResult, bool) {
	e, err := c.kv.Get(ctx, key)
	if err != nil {
		if !errors.Is(err, jetstream.ErrKeyNotFound) {
			c.log.Warn("result cache read failed; analysing the file", "path", f.Path, "err", err)
		}
		return finding.FileResult{}, false
	}
	fr, err := c.decode(ctx, e.Value(), f)
	if err != nil {
		c.log.Warn("ignoring a bad result cache entry", "path", f.Path, "key", key, "reason", err)
		return finding.FileResult{}, false
	}
	return fr, true
}

func (c *resultCache) decode(ctx context.Context, value []byte, f source.File) (finding.FileResult, error) {
	var p Payload
	if err := decodeStrict(value, MaxResultBytes, &p); err != nil {
		return finding.FileResult{}, err
	}
	if err := p.validate(); err != nil {
		return finding.FileResult{}, err
	}
	data, err := c.blobs.open(ctx, p)
	if err != nil {
		return finding.FileResult{}, err
	}
	return checkFileResult(data, p.Escaped, f.Path, f.SHA256)
}

// put stores a payload. A failure costs only a future re-analysis, so it is logged, not
// returned.
func (c *resultCache) put(ctx context.Context, key string, p Payload) {
	data, err := json.Marshal(p)
	if err == nil {
		_, err = c.kv.Put(ctx, key, data)
	}
	if err != nil {
		c.log.Warn("result cache write failed", "key", key, "err", fmt.Sprint(err))
	}
}

// cacheable says whether a result may be cached: not when a worker could not analyse the
// file, which says nothing about the file, and not when the parse ran out of time, which
// depends on how busy the machine was as much as on the file.
func cacheable(fr finding.FileResult) bool {
	for _, n := range fr.Notifications {
		if n.ID == NoteAnalysisFailed || n.ID == finding.NoteParseTime {
			return false
		}
	}
	return true
}
