package scanner

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// unbounded is syntaxMaxLen's answer for a pattern with no longest match.
const unbounded = -1

// syntaxMaxLen returns the most bytes a match of a parsed pattern can span,
// or unbounded when a repetition has no upper limit (or the bound is huge).
func syntaxMaxLen(re *syntax.Regexp) int {
	n := reMaxLen(re)
	if n > 1<<20 {
		return unbounded
	}
	return n
}

func reMaxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpNoMatch:
		return 0
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && (r >= utf8.RuneSelf || strings.ContainsRune("kKsS", r)) {
				n += utf8.UTFMax // a fold can be longer (K and the Kelvin sign)
			} else {
				n += utf8.RuneLen(r)
			}
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return max(1, utf8.RuneLen(min(re.Rune[len(re.Rune)-1], unicode.MaxRune)))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return reMaxLen(re.Sub[0])
	case syntax.OpRepeat:
		sub := reMaxLen(re.Sub[0])
		if re.Max < 0 || sub == unbounded {
			return unbounded
		}
		return re.Max * sub
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, s := range re.Sub {
			n := reMaxLen(s)
			if n == unbounded {
				return unbounded
			}
			if re.Op == syntax.OpConcat {
				total += n
			} else {
				total = max(total, n)
			}
		}
		return total
	}
	return unbounded // OpStar, OpPlus
}

// minMatchLen returns a lower bound of the bytes a match of pattern spans.
func minMatchLen(pattern string) int {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 0
	}
	return reMinLen(re)
}
