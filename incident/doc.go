// Package incident keeps one incident per leaked value per installation,
// keyed by (installation ID, fingerprint), from the first sighting to the
// moment it is closed: where it was first seen (repository, commit, path,
// line, ref or pull request, pusher, time), every later sighting (the last
// MaxSightings, and a count of all), validity results over time (the last
// MaxValidity), its state (open → revoked, resolved or dismissed, with a
// reason) and the history of its transitions (who, when, from, to, why).
//
// Nothing it stores holds the secret: an incident names the value by its
// fingerprint (a keyed hash) and its redacted form, which Sight checks is
// in the scanner's redacted form and refuses otherwise.
//
// A closed incident that is sighted again in a new place (a repository,
// commit, path and line it has not been seen at) reopens: the history gets
// an entry from its closed state to open by ActorPushguard. A sighting
// already recorded changes nothing, so a re-run of the same scan neither
// reopens nor counts twice, and a sighting marked KeepClosed (a finding a
// maintainer dismissed, seen again after a rebase) is recorded without
// reopening.
//
// Storage is Redis. Every change of one incident is one optimistic
// transaction (WATCH/MULTI/EXEC, retried on conflict) over keys that share
// the hash tag {i:<installation>}, so an installation's keys are in one slot
// of a Redis Cluster. The set of installations with incidents is one more
// key, written with a single idempotent SADD.
//
// The package knows nothing of Prometheus: an Observer is told of each
// incident that closes (revoked or resolved, with the time since it was
// first seen), and OpenCounts tallies open incidents by provider and
// validity for a gauge the app refreshes, from counts every change keeps
// in the same transaction (it never reads the incidents themselves).
//
// It imports none of our packages but internal/logkey.
package incident
