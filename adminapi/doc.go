// Package adminapi is the App's admin surface: the audit API (GET
// /api/v1/installations/{id}/audit, behind a bearer token) and the audit
// listing the `pushguard audit` command prints, which read maintainers'
// decisions through the decisions package's store; and the incidents API
// (GET /api/incidents, the same token) and the `pushguard incidents`
// listing, which read the incident package's store.
//
// adminapi imports decisions, incident (and internal/logkey) of ours,
// nothing else:
// it never builds a Redis client or reads the environment; app hands it the
// store, the token and the logger.
package adminapi
