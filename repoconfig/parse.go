package repoconfig

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pushguard/pushguard/scanner"
	"go.yaml.in/yaml/v3"
)

// Limits on the file.
const (
	// MaxFileSize is the largest file Parse reads; a larger one is a
	// problem and nothing in it is read.
	MaxFileSize = 64 << 10
	maxGlobs    = 200
	maxGlobLen  = 1 << 10
	maxBypass   = 100
	maxDescLen  = 500
	maxProblems = 100
)

// Parse reads one configuration file (path is its name, for problems and
// for the custom rules' remediation). builtin is the ruleset rules.disable
// ids are checked against and custom ids must not clash with; nil skips
// both checks.
//
// A valid file yields its Config and no problems. A file with problems
// yields every problem found, each with its line and column, and a Config
// that keeps only what adds scrutiny:
//
//   - custom rules that are valid in themselves (no problem on their lines);
//   - bypass.allowed when it is a valid, non-empty list; when the bypass
//     section itself is broken, bypass is closed: nobody may dismiss as
//     accepted-risk or false-positive until the file is fixed.
//
// Every other setting (paths.ignore, rules.disable, comments, fail_on,
// validity) is
// left unset, so the org default or the built-in default applies: built-in
// rules still run and every finding fails the check. A file too large or
// not YAML yields the defaults. The Config is never nil.
func Parse(path string, data []byte, builtin *scanner.Ruleset) (*Config, []Problem) {
	p := &parser{path: path, builtin: builtin}
	if len(data) > MaxFileSize {
		p.add(0, 0, fmt.Sprintf("file is %d bytes; the limit is %d, so none of it was read", len(data), MaxFileSize))
		return &Config{}, p.problems
	}
	if err := yaml.Unmarshal(data, &p.root); err != nil {
		p.yamlError(err)
		return &Config{}, p.problems
	}
	top := p.root
	if len(top.Content) == 1 {
		top = *top.Content[0]
	}
	switch {
	case top.Kind == 0 || top.Kind == yaml.DocumentNode || top.ShortTag() == "!!null":
		return &Config{}, nil // empty, or only comments
	case top.Kind != yaml.MappingNode:
		p.add(top.Line, top.Column, "the file must be a mapping of keys ("+strings.Join(knownKeys("repoconfig.rawConfig"), ", ")+")")
		return &Config{}, p.problems
	}
	raw := p.decode(data)
	cfg := p.build(raw)
	if len(p.problems) == 0 {
		return cfg, nil
	}
	safe := p.salvage(cfg)
	return safe, p.sorted()
}

// sorted returns the problems in file order, at most maxProblems of them.
func (p *parser) sorted() []Problem {
	ps := slices.Clone(p.problems)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	if len(ps) > maxProblems {
		more := len(ps) - maxProblems
		ps = append(ps[:maxProblems], Problem{Path: p.path, Message: fmt.Sprintf("%d more problems not shown; fix these first", more)})
	}
	return ps
}

// parser holds one Parse call's state.
type parser struct {
	path     string
	builtin  *scanner.Ruleset
	root     yaml.Node
	lines    lineIndex // built on the first decoder error
	problems []Problem
	// customOK[i] is the valid rule built from rules.custom[i], if any.
	customOK map[int]scanner.Rule
}

// add records a problem.
func (p *parser) add(line, col int, msg string) {
	p.problems = append(p.problems, Problem{Path: p.path, Line: line, Column: col, Message: msg})
}

// addAt records a problem at a located value, or at fallback when the value
// is absent.
func (p *parser) addAt(line, col int, fallback *yaml.Node, msg string) {
	if line == 0 && fallback != nil {
		line, col = fallback.Line, fallback.Column
	}
	p.add(line, col, msg)
}

// decode runs the strict decoder and records what it reports.
func (p *parser) decode(data []byte) *rawConfig {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var raw rawConfig
	err := dec.Decode(&raw)
	var te *yaml.TypeError
	switch {
	case errors.As(err, &te):
		for _, msg := range te.Errors {
			p.decodeError(msg)
		}
	case err != nil:
		p.yamlError(err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		p.add(next.Line, next.Column, `only one YAML document is allowed; remove the "---" and what follows`)
	case !errors.Is(err, io.EOF):
		p.yamlError(err)
	}
	return &raw
}

// salvage keeps from a broken file's Config what adds scrutiny (see Parse).
func (p *parser) salvage(cfg *Config) *Config {
	safe := &Config{}
	items := child(child(&p.root, "rules"), "custom")
	for i := range countItems(items) {
		r, ok := p.customOK[i]
		if ok && !p.problemIn(spanOf(items.Content[i])) {
			safe.custom = append(safe.custom, r)
		}
	}
	if k, v := entry(&p.root, "bypass"); k != nil && p.problemIn(span{k.Line, spanOf(v).last}) {
		safe.bypass = bypassPolicy{set: true, restricted: true, allowed: cfg.bypass.allowed}
	} else if cfg.bypass.restricted {
		safe.bypass = cfg.bypass
	}
	return safe
}

func countItems(n *yaml.Node) int {
	if n == nil || n.Kind != yaml.SequenceNode {
		return 0
	}
	return len(n.Content)
}

// problemIn reports whether a problem lies on the span's lines.
func (p *parser) problemIn(s span) bool {
	return slices.ContainsFunc(p.problems, func(pr Problem) bool { return s.contains(pr.Line) })
}

var (
	lineRe         = regexp.MustCompile(`(?s)^(?:yaml: )?line (\d+): (.*)$`)
	unknownFieldRe = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	cannotRe       = regexp.MustCompile("(?s)^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (.+)$")
	dupKeyRe       = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
)

// yamlError records a syntax error.
func (p *parser) yamlError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1 // the parser leaves out the line when it is the first
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		line, msg = atoi(m[1]), m[2]
		if isParserProblem(msg) {
			line++ // the parser's lines are 0-based, the scanner's 1-based
		}
	}
	p.add(line, 0, "YAML syntax: "+msg)
}

// isParserProblem reports the yaml parser's (not scanner's) messages.
func isParserProblem(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected '-' indicator", "did not find expected <document start>",
		"did not find expected <stream-start>", "did not find expected key",
		"did not find expected node content", "found duplicate %TAG directive",
		"found duplicate %YAML directive", "found incompatible YAML document",
		"found undefined tag handle":
		return true
	}
	return false
}

// decodeError turns one of the strict decoder's messages into a problem with
// a column and a readable message.
func (p *parser) decodeError(msg string) {
	m := lineRe.FindStringSubmatch(msg)
	if m == nil {
		p.add(0, 0, msg)
		return
	}
	line, msg := atoi(m[1]), m[2]
	if p.lines == nil {
		p.lines = newLineIndex(&p.root)
	}
	if m := unknownFieldRe.FindStringSubmatch(msg); m != nil {
		n, where := p.lines.find(line, func(n *yaml.Node, isKey bool) bool { return isKey && n.Value == m[1] })
		p.add(line, column(n), unknownKey(m[1], parentKey(where), knownKeys(m[2])))
		return
	}
	if m := dupKeyRe.FindStringSubmatch(msg); m != nil {
		n, _ := p.lines.find(line, func(n *yaml.Node, isKey bool) bool { return isKey && n.Value == m[1] })
		p.add(line, column(n), fmt.Sprintf("duplicate key %q (first on line %s)", m[1], m[2]))
		return
	}
	if m := cannotRe.FindStringSubmatch(msg); m != nil {
		tag, value, into := m[1], strings.TrimSuffix(m[2], "..."), m[3]
		n, where := p.lines.find(line, func(n *yaml.Node, isKey bool) bool {
			return !isKey && n.ShortTag() == tag && strings.HasPrefix(n.Value, value)
		})
		found := foundText(tag, m[2])
		if n != nil {
			found = describe(n)
		}
		w := want(into)
		if strings.HasSuffix(where, "fail_on") || strings.HasSuffix(where, "confidence") {
			w = "low, medium or high"
			if strings.HasSuffix(where, "fail_on") {
				w = failOnWant
			}
		}
		p.add(line, column(n), fmt.Sprintf("%s: want %s, found %s", cmp.Or(where, "value"), w, found))
		return
	}
	p.add(line, 0, msg)
}

// unknownKey is the message for a key the file may not hold.
func unknownKey(key, parent string, known []string) string {
	in := ""
	if parent != "" {
		in = " in " + parent
	}
	return fmt.Sprintf("unknown key %q%s (want one of: %s)", key, in, strings.Join(known, ", "))
}

// parentKey drops the last key of a path: "rules.rule" -> "rules".
func parentKey(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

func column(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Column
}

// want says in words what a Go type of the raw config holds.
func want(goType string) string {
	switch {
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "a string"
	case goType == "int":
		return "a whole number"
	case goType == "float64":
		return "a number"
	case goType == "[]repoconfig.rawCustomRule":
		return "a list of rules"
	case strings.HasPrefix(goType, "[]"):
		return "a list of strings"
	case strings.Contains(goType, "repoconfig.raw"):
		return "a mapping of keys"
	}
	return goType
}

// describe says in words what a node holds.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return foundText(n.ShortTag(), n.Value)
}

// foundText says in words what a scalar of a tag holds.
func foundText(tag, value string) string {
	switch tag {
	case "!!map":
		return "a mapping"
	case "!!seq":
		return "a list"
	case "!!null":
		return "nothing"
	case "!!str":
		return fmt.Sprintf("%q", excerpt(value))
	}
	return excerpt(value)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
