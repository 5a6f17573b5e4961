package fakegithub

import (
	"fmt"
	"strings"
)

// fileChange is one file of a diff, in the terms of GitHub's diff-entry.
type fileChange struct {
	filename, previous string
	status             string
	sha                string // blob SHA: the new one, or the old one for a removed file
	additions          int
	deletions          int
	binary             bool
	patch              string // hunks only; "" when git shows none
}

// githubStatus maps git's raw diff letter to GitHub's file status.
func githubStatus(letter byte) string {
	switch letter {
	case 'A':
		return "added"
	case 'D':
		return "removed"
	case 'R':
		return "renamed"
	case 'C':
		return "copied"
	case 'T':
		return "changed"
	}
	return "modified"
}

// diff lists the files changed from commit from (or the empty tree when "")
// to commit to, with rename detection and per-file hunks, as GitHub does.
// One git run gives both the raw listing and the patch (git separates them
// with an empty NUL-terminated record); the line counts come from the hunks.
func (r *Repo) diff(from, to string) ([]fileChange, error) {
	if from == "" {
		from = emptyTree
	}
	out, err := r.run("diff", "-M", "--raw", "--no-abbrev", "-z", "-p", "--no-color", "--no-ext-diff", from, to)
	if err != nil || out == "" {
		return nil, err
	}
	raw, patch, ok := strings.Cut(out, "\x00\x00")
	if !ok {
		return nil, fmt.Errorf("diff %s %s: no patch after the raw listing", from, to)
	}
	files, err := parseRaw(raw + "\x00")
	if err != nil {
		return nil, err
	}
	sections := splitPatch(patch)
	if len(sections) != len(files) {
		return nil, fmt.Errorf("diff %s %s: %d patch sections for %d files", from, to, len(sections), len(files))
	}
	for i := range files {
		files[i].patch = hunks(sections[i])
		files[i].binary = binarySection(sections[i])
		files[i].additions, files[i].deletions = countLines(files[i].patch)
	}
	return files, nil
}

// binarySection reports whether git showed a patch section's file as
// binary: a "Binary files … differ" line before any hunk.
func binarySection(section string) bool {
	header, _, _ := strings.Cut("\n"+section, "\n@@")
	return strings.Contains(header, "\nBinary files ")
}

// countLines counts the added and deleted lines of a file's hunks, as
// `git diff --numstat` does.
func countLines(hunks string) (additions, deletions int) {
	for line := range strings.Lines(hunks) {
		switch line[0] {
		case '+':
			additions++
		case '-':
			deletions++
		}
	}
	return additions, deletions
}

// parseRaw reads `git diff --raw -z` output.
func parseRaw(raw string) ([]fileChange, error) {
	fields := strings.Split(strings.TrimSuffix(raw, "\x00"), "\x00")
	var files []fileChange
	for i := 0; i < len(fields) && fields[i] != ""; {
		meta := strings.Fields(strings.TrimPrefix(fields[i], ":"))
		if len(meta) != 5 || i+1 >= len(fields) {
			return nil, fmt.Errorf("unexpected raw diff line %q", fields[i])
		}
		letter := meta[4][0]
		fc := fileChange{status: githubStatus(letter), sha: meta[3], filename: fields[i+1]}
		i += 2
		if letter == 'R' || letter == 'C' {
			fc.previous, fc.filename = fc.filename, fields[i]
			i++
		}
		if letter == 'D' {
			fc.sha = meta[2]
		}
		if letter == 'M' && meta[2] == meta[3] {
			fc.status = "changed" // mode change only
		}
		files = append(files, fc)
	}
	return files, nil
}

// splitPatch cuts `git diff -p` output into one section per file.
func splitPatch(patch string) []string {
	return strings.Split("\n"+patch, "\ndiff --git ")[1:]
}

// hunks keeps a section's hunks, from its first "@@" line, without the
// final newline: the form of GitHub's patch field.
func hunks(section string) string {
	var start int
	switch {
	case strings.HasPrefix(section, "@@"):
		start = 0
	default:
		idx := strings.Index(section, "\n@@")
		if idx < 0 {
			return ""
		}
		start = idx + 1
	}
	return strings.TrimSuffix(section[start:], "\n")
}

// fileJSON renders a change as GitHub's diff-entry for the commit at ref.
func (s *Server) fileJSON(r *Repo, ref string, fc fileChange) obj {
	path := fc.filename
	o := obj{
		"sha": fc.sha, "filename": fc.filename, "status": fc.status,
		"additions": fc.additions, "deletions": fc.deletions, "changes": fc.additions + fc.deletions,
		"blob_url":     s.htmlURL(r.FullName() + "/blob/" + ref + "/" + path),
		"raw_url":      s.htmlURL(r.FullName() + "/raw/" + ref + "/" + path),
		"contents_url": s.apiURL("repos/" + r.FullName() + "/contents/" + path + "?ref=" + ref),
	}
	if fc.previous != "" {
		o["previous_filename"] = fc.previous
	}
	if fc.patch != "" && !fc.binary && !s.patchDropped(fc.filename) {
		o["patch"] = fc.patch
	}
	return o
}

// DropPatch makes the fake omit `patch` for files named path (in every
// repository), as GitHub does for binary files and very large diffs.
func (s *Server) DropPatch(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.dropped[path] = true
}

// patchDropped reports whether DropPatch named path.
func (s *Server) patchDropped(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.dropped[path]
}
