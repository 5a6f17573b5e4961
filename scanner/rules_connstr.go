package scanner

// connectionStringRules returns the rules for credentials in connection strings.
func connectionStringRules() []Rule {
	return nil
}
