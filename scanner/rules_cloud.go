package scanner

// cloudRules returns the rules for cloud and hosting providers.
func cloudRules() []Rule {
	return nil
}
