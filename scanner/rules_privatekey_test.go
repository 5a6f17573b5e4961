package scanner

// privateKeyPeerIDs maps gitleaks rule IDs to the pushguard rules that cover
// the same credential, for the conformance test.
func privateKeyPeerIDs() map[string][]string {
	return map[string][]string{}
}
