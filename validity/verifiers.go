package validity

import "regexp"

// Verifiers returns the built-in verifiers, one entry per provider call,
// grouped in files like the scanner's rules.
func Verifiers() []Verifier {
	var all []Verifier
	for _, group := range [][]Verifier{devtoolsVerifiers(), cloudVerifiers(), aiVerifiers(), saasVerifiers()} {
		all = append(all, group...)
	}
	return all
}

// labelRe is one lowercase DNS label.
var labelRe = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// validLabel reports whether s is one lowercase DNS label.
func validLabel(s string) bool { return labelRe.MatchString(s) }
