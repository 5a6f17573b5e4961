package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanPaths scans a tree with a secret in a text file, in a binary file,
// in a file above the size limit, inside .git and behind a symbolic link:
// only the text file is reported, the binary and big files are listed as not
// scanned, and .git and the link are passed over.
func TestScanPaths(t *testing.T) {
	token := githubToken(t)
	dir := t.TempDir()
	secret := writeFile(t, dir, "app/config.env", []byte("APP_ENV=production\nLOG_LEVEL=info\nGITHUB_TOKEN="+token+"\n"))
	writeFile(t, dir, "app/main.go", []byte("package main\n\nfunc main() {}\n"))
	writeFile(t, dir, "assets/logo.bin", append([]byte("\x89PNG\x00\x00"), token...))
	writeFile(t, dir, "dump/big.sql", []byte(strings.Repeat("-- filler line\n", 100)+"token="+token+"\n"))
	writeFile(t, dir, ".git/config", []byte("[remote]\ntoken = "+token+"\n"))
	if err := os.Symlink(secret, filepath.Join(dir, "linked.env")); err != nil {
		t.Fatal(err)
	}

	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			got := run(t, "", "scan", dir, "--max-file-size", "1KiB", "--format", format)
			checkNoSecret(t, token, got.stdout, got.stderr)
			if got.code != 1 {
				t.Fatalf("exit %d, want 1 (stderr %q)", got.code, got.stderr)
			}
			// Not scanned files are on stderr once, unless the text report
			// on stdout lists them already.
			wantStderr := "pushguard: not scanned: " + filepath.Join(dir, "assets/logo.bin") + " (binary)\n" +
				"pushguard: not scanned: " + filepath.Join(dir, "dump/big.sql") + " (too large)\n"
			if format == "text" {
				wantStderr = ""
			}
			if got.stderr != wantStderr {
				t.Errorf("stderr %q, want %q", got.stderr, wantStderr)
			}
			if strings.Contains(got.stdout+got.stderr, ".git") || strings.Contains(got.stdout+got.stderr, "linked.env") {
				t.Errorf("reported something in .git or behind the link:\n%s\n%s", got.stdout, got.stderr)
			}
			if format == "text" {
				for _, want := range []string{secret + ":3:14  GitHub", "not scanned: " + filepath.Join(dir, "dump/big.sql"), "1 finding in 1 file (2 files not scanned)"} {
					if !strings.Contains(got.stdout, want) {
						t.Errorf("text report lacks %q:\n%s", want, got.stdout)
					}
				}
				return
			}
			fs := parseFindings(t, got.stdout)
			if len(fs) != 1 || fs[0].Path != secret || fs[0].Line != 3 || !strings.HasPrefix(fs[0].RuleID, "github-") {
				t.Errorf("findings %+v, want one github- finding at %s:3", fs, secret)
			}
		})
	}
}

// TestScanPathsOrder checks that findings come in argument order and, within
// a directory, in lexical order, and that a link named on the command line is
// followed.
func TestScanPathsOrder(t *testing.T) {
	token := githubToken(t)
	dir := t.TempDir()
	line := []byte("token: " + token + "\n")
	for _, name := range []string{"b/z.env", "a.env", "b/c.env", "c/x.env"} {
		writeFile(t, dir, name, line)
	}
	link := filepath.Join(t.TempDir(), "link.env")
	if err := os.Symlink(filepath.Join(dir, "a.env"), link); err != nil {
		t.Fatal(err)
	}
	got := run(t, "", "scan", "--format", "json", filepath.Join(dir, "c"), dir, link)
	checkNoSecret(t, token, got.stdout, got.stderr)
	var paths []string
	for _, f := range parseFindings(t, got.stdout) {
		rel, err := filepath.Rel(dir, f.Path)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = filepath.Base(f.Path)
		}
		paths = append(paths, filepath.ToSlash(rel))
	}
	want := "c/x.env a.env b/c.env b/z.env c/x.env link.env"
	if strings.Join(paths, " ") != want {
		t.Errorf("order %q, want %q", strings.Join(paths, " "), want)
	}
}
