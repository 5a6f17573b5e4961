package scanner

// devToolRules returns the rules for developer platforms, package registries and identity providers.
func devToolRules() []Rule {
	return nil
}
