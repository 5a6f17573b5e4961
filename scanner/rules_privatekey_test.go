package scanner

// privateKeyPeerIDs maps gitleaks rule IDs to the pushguard rules that cover
// the same credential, for the conformance test.
func privateKeyPeerIDs() map[string][]string {
	return map[string][]string{
		"private-key": {
			"private-key-rsa", "private-key-ec", "private-key-dsa", "private-key-pkcs8",
			"private-key-pkcs8-encrypted", "private-key-openssh", "private-key-pgp", "private-key-putty",
		},
	}
}
