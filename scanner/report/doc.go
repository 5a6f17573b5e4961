// Package report renders scan findings for people and tools: Text for a
// terminal, JSON for scripts, SARIF 2.1.0 for code-scanning dashboards,
// JUnit XML for CI test reports and CSV for spreadsheets. Each takes a Scan:
// the findings that count, the ones the user ignored (with a reason) and how
// many a baseline hid.
//
// Every format shows a secret only in its redacted form and identifies it by
// its keyed fingerprint; none ever calls Finding.Secret.
package report
