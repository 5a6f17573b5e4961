package scanner

// Builtin returns every built-in rule, in a stable order. The rules are
// grouped in one file per family of providers (rules_*.go).
func Builtin() []Rule {
	families := [][]Rule{
		cloudRules(),
		devToolRules(),
		saasRules(),
		aiRules(),
		privateKeyRules(),
		connectionStringRules(),
		genericRules(),
	}
	var all []Rule
	for _, f := range families {
		all = append(all, f...)
	}
	return all
}
