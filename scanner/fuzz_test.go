package scanner

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addFixtureSeeds seeds a fuzz target with every diff fixture.
func addFixtureSeeds(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "diffs", "*"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("@@ -1 +1 @@\n+" + tokA + "\n"))
	f.Add([]byte("diff --git a/k b/k\n@@ -0,0 +1,3 @@\n+-----BEGIN TEST KEY-----\n+QUJD\n+-----END TEST KEY-----\n"))
	addEncodedSeeds(f)
}

// addEncodedSeeds seeds a fuzz target with encoded secrets: base64, hex,
// percent-encoded and two layers deep.
func addEncodedSeeds(f *testing.F) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, v := range []string{
		b64("t = " + tokA),
		b64(b64(tokA)),
		hex.EncodeToString([]byte(tokA)),
		"x%3D" + tokA + "%20" + tokB,
		b64("-----BEGIN TEST KEY-----\nQUJD\n-----END TEST KEY-----\n"),
		base64.RawURLEncoding.EncodeToString([]byte("secret = \"" + tokB + "\"")),
	} {
		f.Add([]byte("diff --git a/s.yaml b/s.yaml\n@@ -0,0 +1,2 @@\n+data:\n+  v: " + v + "\n"))
	}
}

// FuzzParseDiff: no input makes the parser panic, every added line has a
// positive number, and within a hunk numbers increase.
func FuzzParseDiff(f *testing.F) {
	addFixtureSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var s orderSink
		err := parseDiff(context.Background(), bytes.NewReader(data), &s, "")
		if err != nil && !errors.Is(err, ErrNotDiff) {
			t.Fatal(err)
		}
		if err != nil && s.nAdded > 0 {
			t.Fatal("ErrNotDiff after added lines")
		}
		if s.bad != "" {
			t.Fatal(s.bad)
		}
	})
}

type orderSink struct {
	last   int
	nAdded int
	bad    string
}

func (s *orderSink) commit(string)     {}
func (s *orderSink) file(string, bool) { s.last = 0 }
func (s *orderSink) endFile()          {}
func (s *orderSink) unreadableHunk()   {}
func (s *orderSink) added(num, col int, text []byte) {
	if col == 1 && num < 1 && s.bad == "" {
		s.bad = "added line number below 1"
	}
	if col == 1 {
		s.last = num
	}
	s.nAdded++
}

// FuzzScanDiff: no input makes the scanner panic, and every finding lies on
// added lines and its secret is text of those lines (or, found after
// decoding, its columns are within its line).
func FuzzScanDiff(f *testing.F) {
	addFixtureSeeds(f)
	rs := engineRules(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var rec lineSink
		if err := parseDiff(context.Background(), bytes.NewReader(data), &rec, ""); err != nil && !errors.Is(err, ErrNotDiff) {
			t.Fatal(err)
		}
		res, err := New(rs, testKey).ScanDiff(context.Background(), bytes.NewReader(data))
		if err != nil && !errors.Is(err, ErrNotDiff) {
			t.Fatal(err)
		}
		for _, fd := range res.Findings {
			var text []string
			for l := fd.Line; l <= fd.EndLine; l++ {
				lt, ok := rec.lines[lineKey{fd.Path, l}]
				if !ok && fd.EndLine == fd.Line {
					t.Fatalf("finding %v is not on an added line", fd)
				}
				text = append(text, lt)
			}
			joined := strings.Join(text, "\n")
			if fd.Encoding == "" && fd.EndLine == fd.Line && !strings.Contains(joined, fd.Secret()) {
				t.Fatalf("finding %v: secret is not in its line", fd)
			}
			if fd.Encoding != "" && (fd.EndLine != fd.Line || fd.StartColumn < 1 || fd.EndColumn < fd.StartColumn || fd.EndColumn > utf8.RuneCountInString(joined)) {
				t.Fatalf("finding %v: the encoded text's span is not within its line", fd)
			}
		}
	})
}

type lineKey struct {
	path string
	line int
}

// lineSink records added lines by file and number (last file wins).
type lineSink struct {
	path  string
	lines map[lineKey]string
}

func (s *lineSink) commit(string)            {}
func (s *lineSink) file(path string, _ bool) { s.path = path }
func (s *lineSink) endFile()                 {}
func (s *lineSink) unreadableHunk()          {}
func (s *lineSink) added(num, col int, text []byte) {
	if s.lines == nil {
		s.lines = map[lineKey]string{}
	}
	s.lines[lineKey{s.path, num}] += string(text)
}
