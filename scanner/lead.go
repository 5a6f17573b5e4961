package scanner

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// Most patterns hold one of their rule's keywords at a bounded distance from
// the start of every match: a token's literal prefix ("ghp_", "eyJ") after
// an optional boundary character, an assignment's name. leadRange finds that
// distance from the pattern's syntax, so that on a long line the rule need
// only be tried at the few offsets a keyword occurrence allows (see
// anchored.go) instead of on a window around it.

// maxLeadSet bounds the literal prefixes expanded when looking for keywords.
const maxLeadSet = 256

// leadLen is how many bytes of a match's start are expanded: enough for the
// longest keyword in any position that matters.
const leadLen = 24

// prefix is a literal string a match may start with; open means the match
// may continue after it with more than what the string says (it is only a
// prefix), closed that the sequence expanded so far ends there.
type prefix struct {
	s    string
	open bool
}

// leadRange reports whether every match of pattern holds one of keywords
// (ASCII case ignored) starting between lo and hi bytes after the match's
// start.
func leadRange(pattern string, keywords []string) (lo, hi int, ok bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0, 0, false
	}
	return lead(re, keywords)
}

func lead(re *syntax.Regexp, keywords []string) (lo, hi int, ok bool) {
	if ps, ok := expand(re); ok {
		if lo, hi, ok := keywordOffsets(ps, keywords); ok {
			return lo, hi, true
		}
	}
	switch re.Op {
	case syntax.OpCapture:
		return lead(re.Sub[0], keywords)
	case syntax.OpAlternate:
		lo, hi = int(^uint(0)>>1), 0
		for _, sub := range re.Sub {
			l, h, ok := lead(sub, keywords)
			if !ok {
				return 0, 0, false
			}
			lo, hi = min(lo, l), max(hi, h)
		}
		return lo, hi, true
	case syntax.OpConcat:
		minSoFar, maxSoFar := 0, 0
		for i, sub := range re.Sub {
			rest := &syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[i:]}
			if ps, ok := expand(rest); ok {
				if l, h, ok := keywordOffsets(ps, keywords); ok {
					return minSoFar + l, maxSoFar + h, true
				}
			}
			if l, h, ok := lead(sub, keywords); ok {
				return minSoFar + l, maxSoFar + h, true
			}
			n := reMaxLen(sub)
			if n == unbounded {
				return 0, 0, false
			}
			minSoFar += reMinLen(sub)
			maxSoFar += n
		}
	}
	return 0, 0, false
}

// keywordOffsets returns the least and greatest offset of the first keyword
// in each prefix, when every prefix holds one.
func keywordOffsets(ps []prefix, keywords []string) (lo, hi int, ok bool) {
	lo, hi = int(^uint(0)>>1), -1
	for _, p := range ps {
		best := -1
		for _, k := range keywords {
			if i := strings.Index(p.s, k); i >= 0 && (best < 0 || i < best) {
				best = i
			}
		}
		if best < 0 {
			return 0, 0, false
		}
		lo, hi = min(lo, best), max(hi, best)
	}
	return lo, hi, hi >= 0
}

// expand lists the literal prefixes (lower-cased) that a match of re can
// start with, or reports false when there are too many.
func expand(re *syntax.Regexp) ([]prefix, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []prefix{{}}, true
	case syntax.OpLiteral:
		var b strings.Builder
		for _, r := range re.Rune {
			// A case-folded k or s also matches the (longer) Kelvin and
			// long-s signs; the keyword prefilter, ASCII only, treats
			// them as other characters, and so does this.
			if r >= unicode.MaxASCII {
				return []prefix{{s: b.String(), open: true}}, true
			}
			b.WriteRune(unicode.ToLower(r))
		}
		return []prefix{{s: b.String()}}, true
	case syntax.OpCharClass:
		return expandClass(re)
	case syntax.OpCapture:
		return expand(re.Sub[0])
	case syntax.OpQuest:
		ps, ok := expand(re.Sub[0])
		return append(ps, prefix{}), ok
	case syntax.OpPlus:
		ps, ok := expand(re.Sub[0])
		return closeAll(ps), ok
	case syntax.OpRepeat:
		if re.Min == 0 {
			return []prefix{{open: true}}, true
		}
		ps, ok := expand(re.Sub[0])
		if re.Max != 1 {
			ps = closeAll(ps)
		}
		return ps, ok
	case syntax.OpAlternate:
		var all []prefix
		for _, sub := range re.Sub {
			ps, ok := expand(sub)
			if !ok || len(all)+len(ps) > maxLeadSet {
				return nil, false
			}
			all = append(all, ps...)
		}
		return all, true
	case syntax.OpConcat:
		return expandConcat(re.Sub)
	}
	return []prefix{{open: true}}, true // OpStar, OpAnyChar, OpRepeat...: nothing known
}

// expandClass lists a small character class's characters, lower-cased.
func expandClass(re *syntax.Regexp) ([]prefix, bool) {
	seen := map[rune]bool{}
	var ps []prefix
	for i := 0; i+1 < len(re.Rune); i += 2 {
		if re.Rune[i+1]-re.Rune[i] > 16 {
			return []prefix{{open: true}}, true
		}
		for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
			if r >= unicode.MaxASCII {
				return []prefix{{open: true}}, true
			}
			lr := unicode.ToLower(r)
			if !seen[lr] {
				seen[lr] = true
				ps = append(ps, prefix{s: string(lr)})
			}
		}
	}
	if len(ps) > 16 {
		return []prefix{{open: true}}, true
	}
	return ps, true
}

// expandConcat expands a sequence, stopping each prefix once it is open or
// leadLen long.
func expandConcat(subs []*syntax.Regexp) ([]prefix, bool) {
	ps := []prefix{{}}
	for _, sub := range subs {
		done := true
		for _, p := range ps {
			if !p.open && len(p.s) < leadLen {
				done = false
			}
		}
		if done {
			break
		}
		next, ok := expand(sub)
		if !ok || len(ps)*len(next) > maxLeadSet {
			return closeAll(ps), true
		}
		var out []prefix
		for _, p := range ps {
			if p.open || len(p.s) >= leadLen {
				out = append(out, prefix{s: p.s, open: true})
				continue
			}
			for _, n := range next {
				out = append(out, prefix{s: p.s + n.s, open: n.open})
			}
		}
		ps = out
	}
	return ps, true
}

// reMinLen returns a lower bound of the bytes a match of re spans.
func reMinLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return reMinLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * reMinLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += reMinLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := reMinLen(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0
}

// closeAll marks every prefix open: what follows it is not known.
func closeAll(ps []prefix) []prefix {
	for i := range ps {
		ps[i].open = true
	}
	return ps
}
