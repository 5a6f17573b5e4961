package repoconfig

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushguard/pushguard/scanner"
	"go.yaml.in/yaml/v3"
)

// build validates the decoded file into a Config, recording every problem.
func (p *parser) build(raw *rawConfig) *Config {
	cfg := &Config{}
	if raw.Paths != nil {
		cfg.ignore = p.globs(raw.Paths.Ignore)
	}
	if raw.Rules != nil {
		cfg.disabled = p.disabled(raw.Rules.Disable)
		cfg.custom = p.customRules(raw.Rules.Custom)
	}
	if raw.Comments.set() {
		v := raw.Comments.Value
		cfg.comments = &v
	}
	if f := raw.FailOn; f.set() {
		p.failOn(cfg, f)
	}
	if raw.Validity.set() {
		v := raw.Validity.Value
		cfg.validity = &v
	}
	if raw.Bypass != nil && raw.Bypass.Allowed != nil {
		cfg.bypass = p.bypass(raw.Bypass.Allowed)
	}
	if raw.Allow != nil {
		cfg.allow = p.allowlistSec(raw.Allow)
	}
	return cfg
}

// globs validates paths.ignore.
func (p *parser) globs(raw []located[string]) []string {
	var out []string
	for i, g := range raw {
		if i == maxGlobs {
			p.add(g.Line, g.Column, fmt.Sprintf("paths.ignore: more than %d patterns", maxGlobs))
			break
		}
		if !g.set() {
			continue // the decoder has reported it
		}
		norm, msg := normalizeGlob(g.Value)
		if msg != "" {
			p.add(g.Line, g.Column, "paths.ignore: "+msg)
			continue
		}
		if !slices.Contains(out, norm) {
			out = append(out, norm)
		}
	}
	return out
}

// disabled validates rules.disable. An id starting "custom-" may name a
// custom rule of the org default, which this file cannot see, so it is
// accepted unchecked.
func (p *parser) disabled(raw []located[string]) []string {
	var out []string
	for _, d := range raw {
		if !d.set() {
			continue // the decoder has reported it
		}
		id := strings.TrimSpace(d.Value)
		if p.builtin != nil && !strings.HasPrefix(id, customPrefix) {
			if _, ok := p.builtin.Rule(id); !ok {
				p.add(d.Line, d.Column, fmt.Sprintf("rules.disable: no built-in rule has the id %q (ids are shown in the check run next to each finding)", id))
				continue
			}
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// bypass validates bypass.allowed.
func (p *parser) bypass(raw []located[string]) bypassPolicy {
	b := bypassPolicy{set: true}
	for i, e := range raw {
		if i == maxBypass {
			p.add(e.Line, e.Column, fmt.Sprintf("bypass.allowed: more than %d entries", maxBypass))
			break
		}
		if !e.set() {
			b.restricted = true // a broken entry still restricts
			continue
		}
		v, ok := normalizeBypassEntry(e.Value)
		b.restricted = true
		if !ok {
			p.add(e.Line, e.Column, fmt.Sprintf("bypass.allowed: %q is neither a user login nor a team (\"@org/team\")", excerpt(e.Value)))
			continue
		}
		if !slices.Contains(b.allowed, v) {
			b.allowed = append(b.allowed, v)
		}
	}
	return b
}

// customRules validates rules.custom, remembering each valid rule by index
// so that a broken file can keep it.
func (p *parser) customRules(raw []rawCustomRule) []scanner.Rule {
	items := child(child(&p.root, "rules"), "custom")
	p.customOK = map[int]scanner.Rule{}
	var out []scanner.Rule
	for i, rr := range raw {
		var item *yaml.Node
		if i < countItems(items) {
			item = items.Content[i]
		}
		if i == maxCustomRules {
			p.addAt(0, 0, item, fmt.Sprintf("rules.custom: more than %d rules", maxCustomRules))
			break
		}
		if item != nil && p.problemIn(spanOf(item)) {
			continue // the decoder has reported what is wrong with it
		}
		r, ok := p.customRule(rr, item)
		if !ok {
			continue
		}
		if slices.ContainsFunc(out, func(o scanner.Rule) bool { return o.ID == r.ID }) {
			p.addAt(rr.ID.Line, rr.ID.Column, item, fmt.Sprintf("rules.custom: id %q is used twice", r.ID))
			continue
		}
		if _, clash := p.builtinRule(r.ID); clash {
			p.addAt(rr.ID.Line, rr.ID.Column, item, fmt.Sprintf("rules.custom: id %q is a built-in rule's", r.ID))
			continue
		}
		p.customOK[i] = r
		out = append(out, r)
	}
	return out
}

func (p *parser) builtinRule(id string) (scanner.Rule, bool) {
	if p.builtin == nil {
		return scanner.Rule{}, false
	}
	return p.builtin.Rule(id)
}

// customRule validates one custom rule, recording its problems.
func (p *parser) customRule(rr rawCustomRule, item *yaml.Node) (scanner.Rule, bool) {
	before := len(p.problems)
	id := customID(rr.ID.Value)
	bad := func(line, col int, msg string) { p.addAt(line, col, item, fmt.Sprintf("rules.custom %q: %s", id, msg)) }
	if msg := checkID(id); msg != "" {
		p.addAt(rr.ID.Line, rr.ID.Column, item, "rules.custom: "+msg)
	}
	r := scanner.Rule{
		ID:          id,
		Provider:    customProvider,
		Description: strings.TrimSpace(rr.Description.Value),
		Pattern:     rr.Pattern.Value,
		Group:       rr.SecretGroup.Value,
		MinEntropy:  rr.MinEntropy.Value,
		Confidence:  defaultCustomConf,
	}
	if r.Description == "" {
		r.Description = fmt.Sprintf("Custom rule %s (configured in %s)", id, p.path)
	} else if len(r.Description) > maxDescLen {
		bad(rr.Description.Line, rr.Description.Column, fmt.Sprintf("description is longer than %d characters", maxDescLen))
	}
	r.Remediation = remediation(p.path, r.Description)
	r.Keywords = keywords(rr.Keywords, bad)
	if c := rr.Confidence; c.set() {
		conf, err := scanner.ParseConfidence(c.Value)
		if err != nil {
			bad(c.Line, c.Column, fmt.Sprintf("confidence: want low, medium or high, found %q", excerpt(c.Value)))
		}
		r.Confidence = conf
	}
	if e := rr.MinEntropy; e.Value < 0 || e.Value > maxMinEntropy {
		bad(e.Line, e.Column, fmt.Sprintf("min_entropy %g is outside 0 to %d bits per character", e.Value, maxMinEntropy))
	}
	if msg := checkPattern(r.Pattern, r.Group); msg != "" {
		bad(rr.Pattern.Line, rr.Pattern.Column, msg)
	}
	if len(p.problems) > before {
		return scanner.Rule{}, false
	}
	if msg := testRule(r); msg != "" {
		bad(rr.Pattern.Line, rr.Pattern.Column, msg)
		return scanner.Rule{}, false
	}
	return r, true
}

// keywords validates a custom rule's keywords, lower-casing them.
func keywords(raw []located[string], bad func(line, col int, msg string)) []string {
	if len(raw) == 0 {
		bad(0, 0, "keywords are required: strings of which one always occurs near the secret (its prefix, or the name it is assigned to)")
		return nil
	}
	var out []string
	for i, k := range raw {
		if i == maxKeywords {
			bad(k.Line, k.Column, fmt.Sprintf("more than %d keywords", maxKeywords))
			break
		}
		kw, msg := normalizeKeyword(k.Value)
		if msg != "" {
			bad(k.Line, k.Column, msg)
			continue
		}
		if !slices.Contains(out, kw) {
			out = append(out, kw)
		}
	}
	return out
}

// failOnWant names the values fail_on takes, for its problems.
const failOnWant = "low, medium, high, any or live"

// failOn validates fail_on: a confidence (low, medium, high), "any" (every
// finding, the same as low) or "live" (only keys a validity check found
// live), in any case and with spaces around.
func (p *parser) failOn(cfg *Config, f located[string]) {
	live := false
	cfg.failLive = &live
	switch strings.ToLower(strings.TrimSpace(f.Value)) {
	case FailOnAny:
		cfg.failOn = scanner.Low
		return
	case FailOnLive:
		live = true
		return
	}
	conf, err := scanner.ParseConfidence(f.Value)
	if err != nil {
		p.add(f.Line, f.Column, fmt.Sprintf("fail_on: want %s, found %q", failOnWant, excerpt(f.Value)))
	}
	cfg.failOn = conf
}
