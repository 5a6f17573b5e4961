package repoconfig

import "fmt"

// Problem is one thing wrong with a configuration file, located so that a
// maintainer can find it: shown in the check run's summary.
type Problem struct {
	// Path is the file's name as given to Parse.
	Path string
	// Line and Column are 1-based; zero when the problem concerns the whole
	// file (its size, say) or the position is unknown.
	Line, Column int
	// Message says what is wrong and, where it can, what is expected.
	Message string
}

// String renders the problem the way compilers do:
// ".github/pushguard.yml:7:3: unknown key "rule"".
func (p Problem) String() string {
	switch {
	case p.Line > 0 && p.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
	case p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.Path, p.Message)
}
