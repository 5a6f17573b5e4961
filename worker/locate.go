package worker

import (
	"bytes"
	"context"

	"github.com/pushguard/pushguard/checks"
	"github.com/pushguard/pushguard/scanner"
)

// locate finds where each finding's secret is at the head SHA, so its
// annotation lands on a line that exists there. A finding added in the head
// commit is already there; for the others, the file is read at the head and
// scanned again, and the secret is matched by fingerprint. A secret no longer
// at the head keeps AtHead nil: it was removed, but is still in the history.
func (w *Worker) locate(ctx context.Context, repo repoRef, findings []scanner.Finding) ([]checks.Item, error) {
	items := make([]checks.Item, len(findings))
	byPath := map[string]map[string][]checks.Location{}
	for i, f := range findings {
		items[i] = checks.Item{Finding: f}
		if f.Commit == repo.headSHA {
			items[i].AtHead = &checks.Location{Path: f.Path, Line: f.Line, EndLine: f.EndLine, StartColumn: f.StartColumn, EndColumn: f.EndColumn}
			continue
		}
		if _, ok := byPath[f.Path]; !ok {
			locs, err := w.headLocations(ctx, repo, f.Path)
			if err != nil {
				return nil, err
			}
			byPath[f.Path] = locs
		}
		if loc := firstLocation(byPath[f.Path], f.Fingerprint); loc != nil {
			items[i].AtHead = loc
		}
	}
	return dedupeItems(items), nil
}

// headLocations scans a file at the head and maps each fingerprint found to
// its locations.
func (w *Worker) headLocations(ctx context.Context, repo repoRef, path string) (map[string][]checks.Location, error) {
	data, skip, err := w.fetchFile(ctx, repo, path, repo.headSHA, "")
	if err != nil || skip != "" {
		return nil, err
	}
	res, err := repo.sc.ScanFile(ctx, path, repo.headSHA, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	locs := map[string][]checks.Location{}
	for _, f := range res.Findings {
		locs[f.Fingerprint] = append(locs[f.Fingerprint], checks.Location{Path: path, Line: f.Line, EndLine: f.EndLine, StartColumn: f.StartColumn, EndColumn: f.EndColumn})
	}
	return locs, nil
}

func firstLocation(locs map[string][]checks.Location, fingerprint string) *checks.Location {
	if l := locs[fingerprint]; len(l) > 0 {
		loc := l[0]
		return &loc
	}
	return nil
}

// dedupeItems keeps one item per secret and place: a secret added in one
// commit and untouched by the next is found once, but the same secret moved
// to another line by a later commit is found again there.
func dedupeItems(items []checks.Item) []checks.Item {
	type key struct {
		fp, path string
		line     int
	}
	seen := map[key]bool{}
	var out []checks.Item
	for _, it := range items {
		k := key{it.Fingerprint, it.Path, it.Line}
		if it.AtHead != nil {
			k = key{it.Fingerprint, it.AtHead.Path, it.AtHead.Line}
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, it)
	}
	return out
}
