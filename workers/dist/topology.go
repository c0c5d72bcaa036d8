package dist

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Names of the shared JetStream resources. Per-scan names come from the functions below.
const (
	JobsStream    = "GLASSBOX_JOBS"
	ResultsStream = "GLASSBOX_RESULTS"
	BlobBucket    = "glassbox-blobs"
	CacheBucket   = "glassbox-cache"
	ScansBucket   = "glassbox-scans"
)

// Lifetimes of shared data. Blobs and cached results are content-addressed and shared by
// every scan; they expire unless a scan writes them again (a coordinator re-uploads a blob
// older than half its lifetime, so a blob never expires under a running scan).
const (
	BlobTTL  = 30 * 24 * time.Hour
	CacheTTL = 30 * 24 * time.Hour
	// leftoverTTL bounds how long jobs and results of a scan whose coordinator died stay.
	leftoverTTL = 24 * time.Hour
	// announceTTL is how long a scan stays visible to workers after its coordinator's last
	// heartbeat; announceEvery is the heartbeat.
	announceTTL   = time.Minute
	announceEvery = 15 * time.Second
	// consumerIdle deletes the consumers of a scan whose coordinator died.
	consumerIdle = time.Hour
)

func jobsSubject(scan string) string    { return "glassbox.jobs." + scan }
func resultsSubject(scan string) string { return "glassbox.results." + scan }
func jobsConsumer(scan string) string   { return "jobs-" + scan }
func resultsConsumer(scan string) string {
	return "results-" + scan
}
func maxDeliveriesAdvisory(scan string) string {
	return "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + JobsStream + "." + jobsConsumer(scan)
}

// topology is the shared resources, opened (and created when missing) by coordinators and
// workers alike.
type topology struct {
	js      jetstream.JetStream
	jobs    jetstream.Stream
	results jetstream.Stream
	blobs   jetstream.ObjectStore
	scans   jetstream.KeyValue
}

// open finds or creates the shared streams and buckets. An existing resource is used as it
// is, whatever its configuration, because other scans may be using it.
func open(ctx context.Context, js jetstream.JetStream) (*topology, error) {
	t := &topology{js: js}
	var err error
	if t.jobs, err = stream(ctx, js, jetstream.StreamConfig{
		Name: JobsStream, Description: "glassbox: per-file jobs of every scan",
		Subjects: []string{jobsSubject("*")}, Retention: jetstream.WorkQueuePolicy,
		MaxAge: leftoverTTL, MaxMsgSize: MaxJobBytes, Storage: jetstream.FileStorage,
	}); err != nil {
		return nil, err
	}
	if t.results, err = stream(ctx, js, jetstream.StreamConfig{
		Name: ResultsStream, Description: "glassbox: per-file results of every scan",
		Subjects: []string{resultsSubject("*")}, Retention: jetstream.WorkQueuePolicy,
		MaxAge: leftoverTTL, Storage: jetstream.FileStorage,
	}); err != nil {
		return nil, err
	}
	if t.blobs, err = objectStore(ctx, js, jetstream.ObjectStoreConfig{
		Bucket: BlobBucket, Description: "glassbox: file contents, packs and large results by SHA-256",
		TTL: BlobTTL, Compression: true,
	}); err != nil {
		return nil, err
	}
	if t.scans, err = keyValue(ctx, js, jetstream.KeyValueConfig{
		Bucket: ScansBucket, Description: "glassbox: running scans, for workers to find",
		History: 1, TTL: announceTTL,
	}); err != nil {
		return nil, err
	}
	return t, nil
}

// cache opens the result cache bucket.
func (t *topology) cache(ctx context.Context) (jetstream.KeyValue, error) {
	return keyValue(ctx, t.js, jetstream.KeyValueConfig{
		Bucket: CacheBucket, Description: "glassbox: per-file results by content, packs and engine",
		History: 1, TTL: CacheTTL, Compression: true,
	})
}

func stream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	s, err := js.CreateStream(ctx, cfg)
	if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		s, err = js.Stream(ctx, cfg.Name)
	}
	if err != nil {
		return nil, fmt.Errorf("dist: stream %s: %w", cfg.Name, err)
	}
	return s, nil
}

func objectStore(ctx context.Context, js jetstream.JetStream, cfg jetstream.ObjectStoreConfig) (jetstream.ObjectStore, error) {
	o, err := js.CreateObjectStore(ctx, cfg)
	if errors.Is(err, jetstream.ErrBucketExists) || errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		o, err = js.ObjectStore(ctx, cfg.Bucket)
	}
	if err != nil {
		return nil, fmt.Errorf("dist: object store %s: %w", cfg.Bucket, err)
	}
	return o, nil
}

func keyValue(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	kv, err := js.CreateKeyValue(ctx, cfg)
	if errors.Is(err, jetstream.ErrBucketExists) || errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
		kv, err = js.KeyValue(ctx, cfg.Bucket)
	}
	if err != nil {
		return nil, fmt.Errorf("dist: key-value bucket %s: %w", cfg.Bucket, err)
	}
	return kv, nil
}
