package scanner

// privateKeyRules returns the rules for private keys.
func privateKeyRules() []Rule {
	return nil
}
