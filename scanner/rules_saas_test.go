package scanner

// saasPeerIDs maps gitleaks rule IDs to the pushguard rules that cover
// the same credential, for the conformance test.
func saasPeerIDs() map[string][]string {
	return map[string][]string{}
}
