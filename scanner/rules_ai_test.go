package scanner

// aiPeerIDs maps gitleaks rule IDs to the pushguard rules that cover
// the same credential, for the conformance test.
func aiPeerIDs() map[string][]string {
	return map[string][]string{}
}
