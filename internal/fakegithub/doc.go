// Package fakegithub is a fake GitHub REST API for end-to-end tests of the
// pushguard GitHub App.
//
// A Server runs in an httptest.Server and behaves like api.github.com (or,
// with Options.Enterprise, like GitHub Enterprise Server under /api/v3/):
//
//   - every request is validated against GitHub's own OpenAPI description
//     (testdata/openapi-subset.json plus testdata/openapi-additions.json);
//     a request that does not validate, or that names an operation the
//     description lacks, is a violation and fails the test at cleanup;
//   - App authentication is real: an RS256 App JWT signed with the key from
//     PrivateKeyPEM is required on /app endpoints, and repository endpoints
//     need an installation token issued by the fake;
//   - repositories are real git repositories made with the git CLI, so SHAs,
//     patches and line numbers are exactly what git (and GitHub) produce;
//     what git says about objects named by full SHA (commits, diffs,
//     compares between SHAs, blobs, trees) never changes, so it is cached
//     in a bounded LRU, and commits are read through one long-running
//     `git cat-file --batch` per repository; answers about branches and
//     other refs are always asked afresh;
//   - check runs, comments, reactions, redeliveries and revocations are
//     recorded for assertions, and faults (5xx, rate limits, delays) can be
//     injected;
//   - POST /credentials/revoke behaves as on github.com (an authenticated
//     call is refused with 403, 60 calls an hour per IP) or, with
//     Enterprise, as GitHub Enterprise Server; each flavour accepts its own
//     token prefixes (Options.RevokePrefixes) and answers 422 to others;
//   - the GitHub App manifest flow works: a stand-in for the web page
//     /settings/apps/new (or /organizations/{org}/settings/apps/new) takes
//     the posted manifest and redirects with a code, which
//     POST /app-manifests/{code}/conversions trades for the fake's App.
//
// Paths given to Inject and reported by Requests never include the /api/v3
// prefix, so the same test code serves both URL styles.
package fakegithub
