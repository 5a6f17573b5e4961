package scanner

// genericPeerIDs maps gitleaks rule IDs to the pushguard rules that cover
// the same credential, for the conformance test.
func genericPeerIDs() map[string][]string {
	return map[string][]string{
		"generic-api-key": {"generic-secret", "generic-secret-hex"},
	}
}
