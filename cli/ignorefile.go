package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pushguard/pushguard/scanner"
	"github.com/pushguard/pushguard/scanner/report"
)

// ignoreFileName is the ignore file looked for at the repository's root.
const ignoreFileName = ".pushguardignore"

// Bounds of a fingerprint in the ignore file: the text report shows 12 hex
// characters, JSON and SARIF all 64.
const (
	minIgnoreFingerprint = 12
	maxIgnoreFingerprint = 64
)

// ignoreEntry is one line of the ignore file.
type ignoreEntry struct {
	fingerprint string // lower-case hex, possibly a prefix
	reason      string
}

// ignoreList is the parsed ignore file, in file order and indexed by the
// first minIgnoreFingerprint characters of each fingerprint, so matching a
// finding costs one map lookup whatever the file's length.
type ignoreList struct {
	entries []ignoreEntry
	byHead  map[string][]ignoreEntry
}

// add appends an entry.
func (l *ignoreList) add(e ignoreEntry) {
	if l.byHead == nil {
		l.byHead = map[string][]ignoreEntry{}
	}
	head := e.fingerprint[:minIgnoreFingerprint]
	l.entries = append(l.entries, e)
	l.byHead[head] = append(l.byHead[head], e)
}

// loadIgnoreFile reads --ignore-file FILE when given (it must exist), else
// .pushguardignore under root when there is one. Each reason goes through
// redact, so a secret pasted into one is never shown.
func loadIgnoreFile(o *scanOptions, root string, redact func(string) string) (ignoreList, error) {
	path, data, err := readNamedOrDefault(o.ignoreFile, filepath.Join(root, ignoreFileName))
	if err != nil || data == nil {
		return ignoreList{}, wrapIf("ignore file", err)
	}
	return parseIgnoreFile(path, data, redact)
}

// parseIgnoreFile reads lines "<fingerprint> <reason…>". Blank lines and
// lines starting with "#" are skipped. A line without a reason, or whose
// first word is not 12 to 64 hexadecimal characters, is an error naming the
// file and the line.
func parseIgnoreFile(path string, data []byte, redact func(string) string) (ignoreList, error) {
	var list ignoreList
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<10)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fp, reason := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			fp, reason = line[:i], strings.TrimSpace(line[i+1:])
		}
		if fp = strings.ToLower(fp); !isHex(fp) || len(fp) < minIgnoreFingerprint || len(fp) > maxIgnoreFingerprint {
			return ignoreList{}, fmt.Errorf("%s:%d: %q is not a fingerprint (want %d to %d hexadecimal characters, as the report shows them)",
				path, n, scanner.Redact(fp), minIgnoreFingerprint, maxIgnoreFingerprint)
		}
		if reason == "" {
			return ignoreList{}, fmt.Errorf("%s:%d: fingerprint %s has no reason (write \"<fingerprint> <why it is safe to ignore>\")", path, n, fp)
		}
		list.add(ignoreEntry{fingerprint: fp, reason: redact(reason)})
	}
	if err := sc.Err(); err != nil {
		return ignoreList{}, fmt.Errorf("ignore file %s: %w", path, err)
	}
	return list, nil
}

// isHex reports whether s is made of lower-case hexadecimal digits only.
func isHex(s string) bool {
	return s != "" && strings.Trim(s, "0123456789abcdef") == ""
}

// match returns the reason of the first entry whose fingerprint is f's or a
// prefix of it.
func (l ignoreList) match(f scanner.Finding) (string, bool) {
	if len(f.Fingerprint) < minIgnoreFingerprint {
		return "", false
	}
	for _, e := range l.byHead[f.Fingerprint[:minIgnoreFingerprint]] {
		if strings.HasPrefix(f.Fingerprint, e.fingerprint) {
			return e.reason, true
		}
	}
	return "", false
}

// triage splits res's findings into those the ignore file names (listed as
// ignored), those the baseline holds (counted), and those that count. It
// also returns known, every finding not ignored (those the baseline hid
// included) in input order: what --write-baseline writes.
func triage(res *scanner.Result, ignores ignoreList, base baseline) (out report.Scan, known []scanner.Finding) {
	out = report.Scan{Result: res}
	var keep []scanner.Finding
	for _, f := range res.Findings {
		if reason, ok := ignores.match(f); ok {
			out.Ignored = append(out.Ignored, report.Ignored{Finding: f, Reason: reason})
			continue
		}
		known = append(known, f)
		if base[f.Fingerprint] {
			out.Baselined++
			continue
		}
		keep = append(keep, f)
	}
	res.Findings = keep
	return out, known
}
