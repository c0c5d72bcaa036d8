// Package broker sets up the NATS side of a distributed scan: the embedded JetStream server
// that `glassbox scan` starts when no cluster is named, the client connection options
// (credentials and TLS) that coordinators and workers share, and the lock that keeps two
// scans from writing one on-disk store at once.
//
// It knows nothing of jobs or results (package dist does); it only answers "which NATS do I
// talk to, and how securely". Source under review is confidential, so the rules live here:
// the embedded server has no listener unless asked, listens beyond loopback only with
// authentication, and client options are validated before a connection is tried.
package broker
