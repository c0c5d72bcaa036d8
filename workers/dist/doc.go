// Package dist runs the per-file stage of a scan on NATS JetStream workers: it is the
// distributed scan.Executor (Coordinator) and the loop every worker runs (Worker), in this
// process or on other machines.
//
// Data flow: the coordinator takes each source.File from the walk, looks its result up in
// the cache, and otherwise puts the content in the object store (addressed by SHA-256, so
// unchanged files are never uploaded twice) and publishes a Job that names the blob, the
// language, the packs (by digest; packs travel through the object store too) and the
// options. A worker pulls the job, fetches content and packs, runs analyze, and publishes a
// Result on the scan's results subject; the coordinator de-duplicates by job id, caches
// the result and hands it to scan.Run. Workers never see the scan root.
//
// Topology (all names in topology.go):
//
//	stream GLASSBOX_JOBS     work queue, subjects glassbox.jobs.<scan>
//	stream GLASSBOX_RESULTS  work queue, subjects glassbox.results.<scan>
//	consumer jobs-<scan>     pull, explicit ack, AckWait, MaxDeliver; every worker pulls it
//	consumer results-<scan>  the coordinator's
//	KV glassbox-scans        <scan> → announcement, refreshed while the scan runs: how
//	                         workers find scans to serve
//	KV glassbox-cache        cache key → result (or the blob holding it)
//	object store glassbox-blobs  file contents, packs and large results by SHA-256
//
// Delivery is at least once: a worker acks a job only after its result is stored in the
// results stream, sends in-progress acks while it works, and gives a job back (nak) when
// its watchdog fires. A job delivered MaxDeliver times without a result becomes an
// "analysis-failed" notification (the server's max-deliveries advisory, with a sweep for a
// missed advisory). When a scan ends, its consumers, subjects and announcement are deleted;
// blobs and cached results are shared by every scan and expire after BlobTTL and CacheTTL.
//
// Every message is validated (size, schema version, fields) before use; a malformed job is
// terminated with a logged reason and never redelivered. Logs name files and jobs, never
// source text.
package dist
