package scanner

// genericRules returns the rules for the generic detector.
func genericRules() []Rule {
	return nil
}
