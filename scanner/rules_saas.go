package scanner

// saasRules returns the rules for messaging, payments, email and observability SaaS.
func saasRules() []Rule {
	return nil
}
