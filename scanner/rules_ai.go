package scanner

// aiRules returns the rules for AI and machine-learning APIs.
func aiRules() []Rule {
	return nil
}
