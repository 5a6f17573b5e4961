package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// engineVersion changes whenever the engine or the shared decoy filter
// changes what it finds; it is part of every Ruleset's Version.
const engineVersion = "engine-6"

// Ruleset is a compiled, immutable set of rules with its keyword prefilter.
// It is safe for concurrent use.
type Ruleset struct {
	rules     []*compiledRule
	byID      map[string]*compiledRule
	keywords  *keywordSet
	allowKW   int32 // index of the pushguard:allow marker among the keywords; gitleaks:allow follows it
	kwList    []string
	kwAll     []string // kwList and the allow marker: the prefilter's keywords
	kwRules   [][]int  // keyword index -> rule indices
	maxWindow int
	// minWindowedLen is the fewest bytes a match of a rule with a keyword
	// window can span: a shorter line need not be remembered for them.
	minWindowedLen int
	windowed       []int // rules with a keyword window
	version        string
	allow          *compiledAllowlist // nil: nothing allowed
}

// NewRuleset checks and compiles rules. Every problem is reported at once.
func NewRuleset(rules []Rule) (*Ruleset, error) {
	rs := &Ruleset{byID: make(map[string]*compiledRule, len(rules))}
	kwIndex := map[string]int{}
	var errs []error
	for _, r := range rules {
		c, err := r.compile(len(rs.rules))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := rs.byID[r.ID]; dup {
			errs = append(errs, fmt.Errorf("rule %q: duplicate id", r.ID))
			continue
		}
		rs.rules = append(rs.rules, c)
		rs.byID[r.ID] = c
		rs.maxWindow = max(rs.maxWindow, r.KeywordWindow)
		if r.KeywordWindow > 0 {
			rs.windowed = append(rs.windowed, c.index)
			if n := minMatchLen(r.Pattern); len(rs.windowed) == 1 || n < rs.minWindowedLen {
				rs.minWindowedLen = n
			}
		}
		for _, k := range r.Keywords {
			i, ok := kwIndex[k]
			if !ok {
				i = len(rs.kwList)
				kwIndex[k] = i
				rs.kwList = append(rs.kwList, k)
				rs.kwRules = append(rs.kwRules, nil)
			}
			rs.kwRules[i] = append(rs.kwRules[i], c.index)
			c.kwIdx = append(c.kwIdx, int32(i))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	rs.allowKW = int32(len(rs.kwList))
	rs.kwRules = append(rs.kwRules, nil, nil)
	rs.kwAll = append(slices.Clip(rs.kwList), allowMarker, gitleaksAllowMarker)
	rs.addAnchors(kwIndex)
	rs.keywords = newKeywordSet(rs.kwAll)
	rs.version = rulesetVersion(rs.rules)
	return rs, nil
}

// Default compiles the built-in rules.
func Default() (*Ruleset, error) { return NewRuleset(Builtin()) }

// Version identifies the rules' behaviour: it changes whenever a rule's id,
// keywords, pattern or checks change, so cached scan results can be keyed by it.
func (rs *Ruleset) Version() string { return rs.version }

// Len is the number of rules.
func (rs *Ruleset) Len() int { return len(rs.rules) }

// Rules returns copies of the rules, in order.
func (rs *Ruleset) Rules() []Rule {
	out := make([]Rule, len(rs.rules))
	for i, c := range rs.rules {
		out[i] = c.Rule
	}
	return out
}

// Rule returns the rule with the given id.
func (rs *Ruleset) Rule(id string) (Rule, bool) {
	c, ok := rs.byID[id]
	if !ok {
		return Rule{}, false
	}
	return c.Rule, true
}

// rulesetVersion hashes what determines a ruleset's findings. Validators are
// code, so the hash also includes the count of validators per rule; a change
// to a validator's body must come with a change elsewhere in the rule (or a
// new release), which is the usual case.
func rulesetVersion(rules []*compiledRule) string {
	h := sha256.New()
	h.Write([]byte(engineVersion))
	for _, r := range rules {
		fields := []string{
			r.ID, strings.Join(r.Keywords, ","), strconv.Itoa(r.KeywordWindow), r.Pattern,
			strconv.Itoa(r.Group), strconv.FormatFloat(r.MinEntropy, 'g', -1, 64),
			strconv.Itoa(len(r.Validators)), strconv.Itoa(int(r.Exempt)), strconv.Itoa(int(r.Confidence)),
		}
		if r.Block != nil {
			fields = append(fields, r.Block.Begin, r.Block.End, strconv.Itoa(r.Block.MaxLines))
		}
		h.Write([]byte(strings.Join(fields, "\x00")))
		h.Write([]byte{0xff})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// isAllow reports whether keyword kw is one of the allow markers.
func (rs *Ruleset) isAllow(kw int32) bool { return kw == rs.allowKW || kw == rs.allowKW+1 }
