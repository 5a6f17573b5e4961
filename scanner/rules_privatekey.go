package scanner

import (
	"bytes"
	"encoding/base64"
	"strings"
)

// Private keys span several lines (Rule.Block) but also appear on one line
// with escaped newlines, as in a Google service-account JSON file. Every
// pattern here accepts both: pkSep matches a real line break (plus the
// indentation of a YAML block scalar) or a literal "\n".
//
// The secret of each rule is the key's base64 body as it appears in the text,
// separators included. A key pasted once as PEM and once as escaped JSON thus
// gets two fingerprints: a capture group cannot drop the separators, so
// making them equal needs the engine to normalise a Block rule's secret.
const (
	pkSep  = `(?:\r?\n[ \t]*|(?:\\r)?\\n)`
	pkLine = `[A-Za-z0-9+/=]+`
	pkBody = pkLine + `(?:` + pkSep + pkLine + `)*`
	// pkHeaders are RFC 1421 / RFC 4880 armor headers ("Proc-Type: …",
	// "Version: …") before the body.
	pkHeaders = `(?:[A-Za-z][A-Za-z-]*: [^\r\n\\]*` + pkSep + `+)*`
)

// pkPEM is the pattern of a PEM block with the given label; group 1 is the
// body (with any armor headers).
func pkPEM(label string) string {
	return `-----BEGIN ` + label + `-----` + pkSep + `+(` + pkHeaders + pkBody + `)` + pkSep + `*-----END ` + label + `-----`
}

// pkBlock is the Block of a PEM label: it opens on a line ending with the
// BEGIN marker, so an escaped one-line key (handled as a single line) never
// opens a block.
func pkBlock(label string, maxLines int) *Block {
	return &Block{Begin: `-----BEGIN ` + label + `-----[ \t\r"'` + "`" + `]*$`, End: `-----END ` + label + `-----`, MaxLines: maxLines}
}

// pkDecode splits a captured body into its armor headers and its decoded
// bytes. Separators (real or escaped newlines, indentation) are dropped, as
// is an OpenPGP "=XXXX" checksum line. A body whose length is not a multiple
// of four (a key cut short in a test fixture) is decoded up to the last whole
// quantum. ok is false when the rest is not base64 or decodes to fewer than
// 48 bytes (64 base64 characters), which no real private key is.
func pkDecode(secret string) (headers []string, der []byte, ok bool) {
	s := strings.NewReplacer(`\r\n`, "\n", `\n`, "\n", "\r", "").Replace(secret)
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
		case strings.Contains(l, ": "):
			headers = append(headers, l)
		case strings.HasPrefix(l, "=") && len(l) == 5:
			// OpenPGP armor checksum.
		default:
			b.WriteString(l)
		}
	}
	body := strings.TrimRight(b.String(), "=")
	body = body[:len(body)/4*4]
	if len(body) < 64 {
		return headers, nil, false
	}
	der, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil {
		return headers, nil, false
	}
	return headers, der, true
}

// pkDER accepts a body that decodes to a DER SEQUENCE whose content begins
// with one of the given prefixes (the version INTEGER of PKCS#1, SEC 1 and
// PKCS#8, or the AlgorithmIdentifier SEQUENCE of an encrypted PKCS#8 key).
// Bodies encrypted under RFC 1421 headers (Proc-Type: 4,ENCRYPTED) are
// random bytes and are only required to decode.
func pkDER(prefixes ...[]byte) Validator {
	return func(secret string) bool {
		headers, der, ok := pkDecode(secret)
		if !ok {
			return false
		}
		for _, h := range headers {
			if strings.HasPrefix(h, "Proc-Type:") && strings.Contains(h, "ENCRYPTED") {
				return true
			}
		}
		if len(headers) > 0 || der[0] != 0x30 {
			return false
		}
		// Skip the SEQUENCE length: short form, or 0x81-0x83 long form.
		i := 2
		switch l := der[1]; {
		case l < 0x80:
		case l >= 0x81 && l <= 0x83:
			i += int(l - 0x80)
		default:
			return false
		}
		for _, p := range prefixes {
			if bytes.HasPrefix(der[i:], p) {
				return true
			}
		}
		return false
	}
}

// pkOpenSSH accepts an openssh-key-v1 body: the magic string followed by the
// cipher name, KDF name and options, and a key count of one or more.
func pkOpenSSH(secret string) bool {
	_, b, ok := pkDecode(secret)
	if !ok || !bytes.HasPrefix(b, []byte("openssh-key-v1\x00")) {
		return false
	}
	b = b[len("openssh-key-v1\x00"):]
	for range 3 { // ciphername, kdfname, kdfoptions
		if len(b) < 4 {
			return false
		}
		n := int(b[0])<<24 | int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		if n > len(b)-4 {
			return false
		}
		b = b[4+n:]
	}
	return len(b) >= 4 && b[0]|b[1]|b[2] == 0 && b[3] >= 1
}

// pkPGP accepts an ASCII-armored body that starts with an OpenPGP
// secret-key packet (tag 5), in the old or the new packet format.
func pkPGP(secret string) bool {
	_, b, ok := pkDecode(secret)
	if !ok {
		return false
	}
	return b[0]&0xfc == 0x94 || b[0] == 0xc5
}

// pkPuTTY accepts the Private-Lines of a .ppk file: at least 32 bytes that
// are either an SSH wire-format blob (a big-endian length under 64 KiB) or,
// for encrypted files, whole AES blocks.
func pkPuTTY(secret string) bool {
	s := strings.NewReplacer(`\r\n`, "", `\n`, "", "\r", "", "\n", "", " ", "", "\t", "").Replace(secret)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) < 32 {
		return false
	}
	return b[0] == 0 && b[1] == 0 || len(b)%16 == 0
}

// privateKeyRules returns the rules for private keys.
func privateKeyRules() []Rule {
	// The body is checked structurally, so the shared checks meant for
	// short tokens (a run of "AAAAAA" is a run of zero bytes in DER; a
	// public key may sit on the same JSON line) do not apply.
	const exempt = DecoyPlaceholder | DecoyRepeated | DecoySequential | DecoyUUID | DecoyDigest | DecoyPublicKey | DecoyPublishable

	var (
		seqVersion0 = []byte{0x02, 0x01, 0x00}
		seqVersion1 = []byte{0x02, 0x01, 0x01}
		seqAlgID    = []byte{0x30}
	)

	tlsKey := Remediation{
		What:          "A private key in PEM form: whoever holds it can impersonate its owner (a TLS server, a client certificate, a signing identity or an SSH login) and decrypt traffic recorded under it.",
		RevokeURL:     "https://github.com/settings/keys",
		Revoke:        "Find where the key's public half is trusted: revoke the certificates issued for it with your CA (reason keyCompromise), remove it from authorized_keys, GitHub SSH and deploy keys, and any JWT/SAML signing configuration; then delete the key from the repository history.",
		RevokeCommand: "certbot revoke --cert-path <CERT_PATH> --reason keycompromise",
		Rotate:        "Generate a new key pair (openssl genpkey), get a new certificate or register the new public key, deploy it from a secret manager rather than the repository, then retire the old one.",
		Misuse:        "Check server and SSH authentication logs (auth.log, sshd) and certificate-transparency logs (crt.sh) for use of the key's certificate, and the signing audit trail for tokens or artifacts signed with it.",
		DocsURL:       "https://www.rfc-editor.org/rfc/rfc7468",
	}
	sshKey := Remediation{
		What:          "An SSH private key: it logs in to every host, Git server or deploy key that trusts its public half.",
		RevokeURL:     "https://github.com/settings/keys",
		Revoke:        "Remove its public key everywhere it is trusted: ~/.ssh/authorized_keys on servers, GitHub/GitLab SSH keys and repository deploy keys, and CA-signed certificate principals (add it to the KRL).",
		RevokeCommand: "gh ssh-key delete <KEY_ID>",
		Rotate:        "Generate a new pair (ssh-keygen -t ed25519), install the new public key where needed, keep the private key out of the repository (an SSH agent or CI secret), then remove the old public key.",
		Misuse:        "Check sshd authentication logs (journalctl -u sshd, /var/log/auth.log) for logins with the key's fingerprint (ssh-keygen -lf), and the Git host's security log for pushes and clones.",
		DocsURL:       "https://man.openbsd.org/ssh-keygen",
	}
	pgpKey := Remediation{
		What:          "An OpenPGP secret key: it signs commits, releases and packages as its owner and decrypts messages sent to them.",
		RevokeURL:     "https://keys.openpgp.org/manage",
		Revoke:        "Publish a revocation certificate for the key (reason: compromised) to the keyservers and every place the public key is published (GitHub GPG keys, package repositories).",
		RevokeCommand: "gpg --gen-revoke <KEY_ID> > revoke.asc && gpg --import revoke.asc && gpg --keyserver hkps://keys.openpgp.org --send-keys <KEY_ID>",
		Rotate:        "Generate a new key, publish it and update signing configuration (git config user.signingkey, release tooling, apt/yum repository keys), and tell users to trust the new key.",
		Misuse:        "Look for commits, tags, releases or packages signed with the key after the leak, and for messages encrypted to it that may have been read.",
		DocsURL:       "https://www.rfc-editor.org/rfc/rfc4880",
	}
	puttyKey := sshKey
	puttyKey.What = "A PuTTY (.ppk) private key: it logs in to every host or Git server that trusts its public half."
	puttyKey.DocsURL = "https://the.earth.li/~sgtatham/putty/latest/htmldoc/AppendixC.html"

	return []Rule{
		{
			ID:          "private-key-rsa",
			Provider:    "RSA private key (PEM)",
			Description: "PKCS#1 RSA private key in PEM (BEGIN RSA PRIVATE KEY), including RFC 1421 encrypted ones, on several lines or as one line with escaped newlines. Format: https://www.rfc-editor.org/rfc/rfc8017#appendix-A.1.2",
			Keywords:    []string{"begin rsa private key"},
			Pattern:     pkPEM("RSA PRIVATE KEY"),
			Group:       1,
			Validators:  []Validator{pkDER(seqVersion0)},
			Exempt:      exempt,
			Block:       pkBlock("RSA PRIVATE KEY", 120),
			Confidence:  High,
			Remediation: tlsKey,
			TruePositives: []string{
				"-----BEGIN RSA PRIVATE KEY-----\nMIICXAIBAAKBgQDYa50l3aXefCZSUXiLfQ8GYEz0gOS6aQQiVTKhdYzcQ4r0Jk4P\ncvOOEfdOZKpo2lSrFkd3TgNqw5FahDSvc9jcrY1fB0aDeKIeD4VkrB7WEzi8ZC8i\n60VdZCwLgqjJ6fFEnuRcXM9WYbY9j5/MVA34AWLnNTT0d0qTL00qvGM/KwIDAQAB\nAoGAUOK3kyVqDuM7t1x3vzp4WRu451EdK4aAYwyQpcO3Z8Neta1zU1bVLG4OjiAV\niKbBKkhjYXWo1UhOlRQAVOrpS7DcIVtO1e4q9Ya/Opr4FR1LKKXEk4BHbuBmHQiN\ndjjTXRaQjBtLF13BRYtmuzdz0WkSj+nafzr4qIGg1ax+52ECQQD5aDch2uirZaQ2\nV9Vq8I2flS6kjmC5KJquDo2mIIZ1o8DmzlUNIU29A3cF/i507s6uiyLYXRsD5Onx\npUhZgfkzAkEA3iQrz5hzI1j9r+hLJnr5vLvtZC9jTsgXTtKfbMIi0lREYi2fAa2L\nzSOeH/v5Z3uLRCCanWiSLUS5Kn6bqEBSKQJAGC1LEuQWo+7RcVcoYBp7kBm1EMyg\ngbJ29CKDBrSmdCbwny8nPYOZ9pWsZw9Rz5IKxQ7FzPWRldoN95fPIKYh0wJAXJzh\n8xPQ9Oy2H2+OXUWp9ui2qS0kjwTWytL/Cn3JvLzLIc95Wl67SVRPKXCI437bahTZ\nwUSGpP7g3/mW9ceTOQJBAJZuF0Jh1IaDjy9elc4wPL6tACznPuZGCZIIpKs0jrXD\n3z7Go5Xxkd4jhNF5tgzySM/Z2ofiIO3Uz9/X+FFjTjk=\n-----END RSA PRIVATE KEY-----",
				"tls:\n  tls_key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    MIIBOgIBAAJBAKpX8KQ33ZnywvxLeJKG/Gd0A7VKgLzDuhTpNND1BTxQOT13cq9u\n    Q9ymUh6W7Ngo6pWxUi1FE7PCslWrzgtUYJ8CAwEAAQJAA0cP5UkB5Y1rPQmCt2cL\n    gj4UOC/HzFoDwZU/I+ojAKcOdzj/a1OYNKachPOldNyj0HC15H5z2WKuoRjy6TdC\n    AQIhANszZIZchq7Jxh4UfEfbDGCKcEFnrd7UyYF0b4nStOufAiEAxvDOYJWxeQIQ\n    FHVC9hdH2MwCrD0YdNpmNMgluvNcawECIGNjKvos67hGrninCy69aCBBxOIy80fs\n    rSzwMT6JdhS7AiASu3wDVjUW2t3ev0fl2j1Wqacaxsn1vtbe43XCC8ZJAQIhAL5y\n    HF94oLyvzDbMZg5ti8y6HudnMNdPW4f3F6DzAEGt\n    -----END RSA PRIVATE KEY-----\n  enabled: true",
				"  \"key\": \"-----BEGIN RSA PRIVATE KEY-----\\nMIICXAIBAAKBgQDYa50l3aXefCZSUXiLfQ8GYEz0gOS6aQQiVTKhdYzcQ4r0Jk4P\\ncvOOEfdOZKpo2lSrFkd3TgNqw5FahDSvc9jcrY1fB0aDeKIeD4VkrB7WEzi8ZC8i\\n60VdZCwLgqjJ6fFEnuRcXM9WYbY9j5/MVA34AWLnNTT0d0qTL00qvGM/KwIDAQAB\\nAoGAUOK3kyVqDuM7t1x3vzp4WRu451EdK4aAYwyQpcO3Z8Neta1zU1bVLG4OjiAV\\niKbBKkhjYXWo1UhOlRQAVOrpS7DcIVtO1e4q9Ya/Opr4FR1LKKXEk4BHbuBmHQiN\\ndjjTXRaQjBtLF13BRYtmuzdz0WkSj+nafzr4qIGg1ax+52ECQQD5aDch2uirZaQ2\\nV9Vq8I2flS6kjmC5KJquDo2mIIZ1o8DmzlUNIU29A3cF/i507s6uiyLYXRsD5Onx\\npUhZgfkzAkEA3iQrz5hzI1j9r+hLJnr5vLvtZC9jTsgXTtKfbMIi0lREYi2fAa2L\\nzSOeH/v5Z3uLRCCanWiSLUS5Kn6bqEBSKQJAGC1LEuQWo+7RcVcoYBp7kBm1EMyg\\ngbJ29CKDBrSmdCbwny8nPYOZ9pWsZw9Rz5IKxQ7FzPWRldoN95fPIKYh0wJAXJzh\\n8xPQ9Oy2H2+OXUWp9ui2qS0kjwTWytL/Cn3JvLzLIc95Wl67SVRPKXCI437bahTZ\\nwUSGpP7g3/mW9ceTOQJBAJZuF0Jh1IaDjy9elc4wPL6tACznPuZGCZIIpKs0jrXD\\n3z7Go5Xxkd4jhNF5tgzySM/Z2ofiIO3Uz9/X+FFjTjk=\\n-----END RSA PRIVATE KEY-----\\n\",",
				"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,C654E03C9BD3EB1EF58E8692DCA99C20\n\nQFvId/o27+JCXzankN1AXg98kEV94ELUhsn85dS4hhF40BsEu/+J7wLCgq6sMj2m\nQ65kGLpRijtNhtK197UYY3OLaOBlvkI4EFfmxJ0KD1XJrqRcOYTGPC3L4xMoniJ1\nViDm3Hb4yCDXd89xeyc0i0WrXX1OorYxdG632yomU2YSQjO74ToxhHW4xlzpfEFi\nwxOyv6v7oUsix1Qa4GZdH3FoE+NDARMeI0B4jUCD5wPG+sJJKRXJ7/UqUSX23Vgx\nhd3e0x8IXaO1A5JxurF74Daa/bdTH+11uYMbNZu8aAK0HZk2qm/BzhoxxmvhceIy\n+rBvaq7m0XhuLl9qqOXcLUjaCFoUUS2Pwuhx/WElLE+bApOWM2qnfR7piI5MOTt6\ntyVDIOM+g7Jy9/xAWM+D9ICYO4XpmG0tyN25mHskPIwlm0TiqlawfrxzpWSfxdzw\n9L6D3L6dfL8GXoPvlzBZtH13WmSUyUcyM0MOFmDlQLmNamKnqrqZHphK+p4nHvGB\nusA/6WEq2tq3wCUUCtzj4qbxXRbhAVrLB6B0LTj7YbXiHM24zhDGsV5MxCA/sOF3\nHIF64lRIABTs/p56YgkqztziXY1XcI5Shvn3R6Q7KffeJC3804BX+k5pd//l7q32\nIpGHCEoVlEew162izcGYiuPFv9i1HQy7sRWSnTh75vIHUdtrhbDrPlMKdclhigki\nOcYae4Y5+VTgAjngmnBGCdQsCDwMzXueNiQvkfecOhBqpaUV6G+J/CGSSeFtvxor\nNmcpLIG51M1OMChDKIink/tkQoskzjIpuYNNUqDeTzahbNUS0EHGptvJ1s4Hck2h\n-----END RSA PRIVATE KEY-----",
			},
			FalsePositives: []string{
				"-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----",
				"-----BEGIN RSA PRIVATE KEY-----\n<your private key here>\n-----END RSA PRIVATE KEY-----",
				"-----BEGIN RSA PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END RSA PRIVATE KEY-----",
				"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END RSA PRIVATE KEY-----",
				"\"key\": \"-----BEGIN RSA PRIVATE KEY-----\\n...\\n-----END RSA PRIVATE KEY-----\\n\"",
				"-----BEGIN RSA PRIVATE KEY----------END RSA PRIVATE KEY-----",
				"-----BEGIN RSA PRIVATE KEY-----\nz4qsB7ui6cg3w/lrQrTO/IcRbU8ZlmLbUmRD/DB1k0YIVbwNG298tQ2rupk0WVws\nhPQBsm0TjHz4BhdTSSQ0YCasA/6bmFclrIeKalAQ5FFGEs1VrrJ34SdlTDq2VPCE\nmHx2URa2+8VEKVY8SZPBOSoArehBIxmo\n-----END RSA PRIVATE KEY-----",
				"-----BEGIN PUBLIC KEY-----\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDYa50l3aXefCZSUXiLfQ8GYEz0\ngOS6aQQiVTKhdYzcQ4r0Jk4PcvOOEfdOZKpo2lSrFkd3TgNqw5FahDSvc9jcrY1f\nB0aDeKIeD4VkrB7WEzi8ZC8i60VdZCwLgqjJ6fFEnuRcXM9WYbY9j5/MVA34AWLn\nNTT0d0qTL00qvGM/KwIDAQAB\n-----END PUBLIC KEY-----",
			},
		},
		{
			ID:          "private-key-ec",
			Provider:    "EC private key (PEM)",
			Description: "SEC 1 elliptic-curve private key in PEM (BEGIN EC PRIVATE KEY). Format: https://www.rfc-editor.org/rfc/rfc5915",
			Keywords:    []string{"begin ec private key"},
			Pattern:     pkPEM("EC PRIVATE KEY"),
			Group:       1,
			Validators:  []Validator{pkDER(seqVersion1)},
			Exempt:      exempt,
			Block:       pkBlock("EC PRIVATE KEY", 40),
			Confidence:  High,
			Remediation: tlsKey,
			TruePositives: []string{
				"-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBPH0HCW01cs0dkbpF2EPjJkkPm/bOiHxA98+7M+NjsJoAoGCCqGSM49\nAwEHoUQDQgAEs1h6aa8QwR+7IBKpcE43yZDYsO7MurgBNy8d/DEkEC3Qkvqm17tx\nYFCnv1m02nis+Mc76FyANtaJK8LuKLsJMQ==\n-----END EC PRIVATE KEY-----",
				"tls:\n  private: |\n    -----BEGIN EC PRIVATE KEY-----\n    MIGkAgEBBDAzAOTyDz12gmwl8pF0GBE3lxMfc7nswRvtXVLbz5+uZZ7ymY3ynvCS\n    /yhuc75gY5agBwYFK4EEACKhZANiAAQfYG0OWo5S+B/o30TSmwA5/HZwWKp7nF08\n    uMa4VhQZj8to6sF5P0fg99AfVO0QhWrj9JNmg9a60AkP7RAkDxH52/68Y/b+Scw6\n    U+tX+2PbXhow7z+SdAF93PwsFnKY7tw=\n    -----END EC PRIVATE KEY-----\n  enabled: true",
				"  \"private_key\": \"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEILIoQIgrodPVJMMMnKd2Gpo7r3urfZGmPgjhvvmsNZ+joAoGCCqGSM49\\nAwEHoUQDQgAEgTVTME6nTL6nvQ2L3PR3L/hKgwCoB6kqE3zkHzxG1LpZJPfXJDwG\\nhVMJNoX2aVW4FIFeeRFftNd87L1ShSc35Q==\\n-----END EC PRIVATE KEY-----\\n\",",
			},
			FalsePositives: []string{
				"-----BEGIN EC PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END EC PRIVATE KEY-----",
				"-----BEGIN EC PRIVATE KEY-----\n<your private key here>\n-----END EC PRIVATE KEY-----",
				"-----BEGIN EC PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END EC PRIVATE KEY-----",
				"-----BEGIN EC PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END EC PRIVATE KEY-----",
				"\"key\": \"-----BEGIN EC PRIVATE KEY-----\\n...\\n-----END EC PRIVATE KEY-----\\n\"",
				"-----BEGIN EC PRIVATE KEY----------END EC PRIVATE KEY-----",
				"-----BEGIN EC PRIVATE KEY-----\nz4qsB7ui6cg3w/lrQrTO/IcRbU8ZlmLbUmRD/DB1k0YIVbwNG298tQ2rupk0WVws\nhPQBsm0TjHz4BhdTSSQ0YCasA/6bmFclrIeKalAQ5FFGEs1VrrJ34SdlTDq2VPCE\nmHx2URa2+8VEKVY8SZPBOSoArehBIxmo\n-----END EC PRIVATE KEY-----",
			},
		},
		{
			ID:          "private-key-dsa",
			Provider:    "DSA private key (PEM)",
			Description: "OpenSSL DSA private key in PEM (BEGIN DSA PRIVATE KEY). Format: https://www.rfc-editor.org/rfc/rfc7468#section-11",
			Keywords:    []string{"begin dsa private key"},
			Pattern:     pkPEM("DSA PRIVATE KEY"),
			Group:       1,
			Validators:  []Validator{pkDER(seqVersion0)},
			Exempt:      exempt,
			Block:       pkBlock("DSA PRIVATE KEY", 60),
			Confidence:  High,
			Remediation: tlsKey,
			TruePositives: []string{
				"-----BEGIN DSA PRIVATE KEY-----\nMIIBzAIBAAKBgQDGcwZC+6nga3A96HvsAz2bZqBmdmKyp23BmXFgu0Xc5RNKtk8O\nxuaeY6TGe4XRoYZt2CeUEEw4LhPjxGcOfOH0RMHRTTYytvv64gOKNqb80yrUZf3n\n5Kdd2cntv2ar0RLbOjzVBNn0eqo8p5IeRXP0shpfBQUwxaqWyh+M8QWcOQIdANLc\nWmRCUsQsKu0MaCk+5fJAR+gLnxYdekbig/0CgYEAkb8CyS3gUe8zrx6Qs+/NTXpN\n+M2qQPBUQstoh2veta4Kiim8YRAAa3J0muoi2qBo+qhrgQUuroNP4QkyorZPe4a0\nR7w3xyWJZUmuB3M4b28ot28GH5pc2MRIvMjcvcKoNIeYvc0Z4zAziFJBx+MJN+9C\nfXFq6bIuRsL/jBw8JhMCgYBJJJvlTriyiIFrx7nQ4wDdcbrczlBjH4SBMMM6Rtwc\n1kNcD2hClg4jirvzsYimAzlYMDvrLsKiuwPpCArb4VKUrZtebqAu8yNKUF0W2cEM\njvqFjp6mW13Z1/B/1Q5aNv0fNyeGzao24UXyjpDYsMKhk3cWpPViAlrb7XBoRg5Z\nlAIdALHS/lkSvAxs/rrORlmVfCrGvV/j6oEV/djsz3c=\n-----END DSA PRIVATE KEY-----",
				"const testKey = `-----BEGIN DSA PRIVATE KEY-----\nMIIBywIBAAKBgQDtEXsgN4PANn+otvNcVBPrFvwMEUqfv8lmWneCd4BxUj3WSIgK\ndsuuvNf7Ksxdh/E0vF0qhHgG9glIVHykibfJDxq62De2/nhHLn7+ZFi/AZKVlwDi\nsYWl1fhFRbbpnSvJufso69dR3YHVS6cCdBBPBIubOzYRVlC/jxkCh2JR1QIdAI7x\n7SVkWrc3x0CYNcOfL5U256HGaY8ES7pkLOMCgYAu2NanaZq9qTsXNy7lsrUVXTAd\nxuBCN2QqJOa1cL946lz32rRSoUhaD+i7C0v0ON9QvGiwpSbBK5Wgt4fzaiOwZphg\nCJz2tEyZhH2lYm0Zc+Px4kka67kNLJyQ3nfkeGKDQgqH+wQM9MOnDJCYzGAolf7K\nlHbRAyqhAg/HclyvHQKBgQDOsNV7MUIHfjqTfVKVfitycuyTTCTpLrKTUCCyl7c5\nWe5m6nKZhmUGN5AbM6cNiGDjMhWiZbbN3k3NbY41hSkCoTrwQC//KoxXFpyBgrW8\nyPru+SSWbmnFR1h/lUbYf7xV7w8zq349d8k0IqpdJp8ePSwpjQp4XR0wnbOExy9M\nXwIcW1bqnzWoU3K1ojKedHtOPPBgQPgPSLph5Cspyw==\n-----END DSA PRIVATE KEY-----`",
				"  \"private_key\": \"-----BEGIN DSA PRIVATE KEY-----\\nMIIBzAIBAAKBgQDGcwZC+6nga3A96HvsAz2bZqBmdmKyp23BmXFgu0Xc5RNKtk8O\\nxuaeY6TGe4XRoYZt2CeUEEw4LhPjxGcOfOH0RMHRTTYytvv64gOKNqb80yrUZf3n\\n5Kdd2cntv2ar0RLbOjzVBNn0eqo8p5IeRXP0shpfBQUwxaqWyh+M8QWcOQIdANLc\\nWmRCUsQsKu0MaCk+5fJAR+gLnxYdekbig/0CgYEAkb8CyS3gUe8zrx6Qs+/NTXpN\\n+M2qQPBUQstoh2veta4Kiim8YRAAa3J0muoi2qBo+qhrgQUuroNP4QkyorZPe4a0\\nR7w3xyWJZUmuB3M4b28ot28GH5pc2MRIvMjcvcKoNIeYvc0Z4zAziFJBx+MJN+9C\\nfXFq6bIuRsL/jBw8JhMCgYBJJJvlTriyiIFrx7nQ4wDdcbrczlBjH4SBMMM6Rtwc\\n1kNcD2hClg4jirvzsYimAzlYMDvrLsKiuwPpCArb4VKUrZtebqAu8yNKUF0W2cEM\\njvqFjp6mW13Z1/B/1Q5aNv0fNyeGzao24UXyjpDYsMKhk3cWpPViAlrb7XBoRg5Z\\nlAIdALHS/lkSvAxs/rrORlmVfCrGvV/j6oEV/djsz3c=\\n-----END DSA PRIVATE KEY-----\\n\",",
			},
			FalsePositives: []string{
				"-----BEGIN DSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END DSA PRIVATE KEY-----",
				"-----BEGIN DSA PRIVATE KEY-----\n<your private key here>\n-----END DSA PRIVATE KEY-----",
				"-----BEGIN DSA PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END DSA PRIVATE KEY-----",
				"-----BEGIN DSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END DSA PRIVATE KEY-----",
				"\"key\": \"-----BEGIN DSA PRIVATE KEY-----\\n...\\n-----END DSA PRIVATE KEY-----\\n\"",
				"-----BEGIN DSA PRIVATE KEY----------END DSA PRIVATE KEY-----",
				"-----BEGIN DSA PRIVATE KEY-----\nz4qsB7ui6cg3w/lrQrTO/IcRbU8ZlmLbUmRD/DB1k0YIVbwNG298tQ2rupk0WVws\nhPQBsm0TjHz4BhdTSSQ0YCasA/6bmFclrIeKalAQ5FFGEs1VrrJ34SdlTDq2VPCE\nmHx2URa2+8VEKVY8SZPBOSoArehBIxmo\n-----END DSA PRIVATE KEY-----",
			},
		},
		{
			ID:          "private-key-pkcs8",
			Provider:    "PKCS#8 private key",
			Description: "Unencrypted PKCS#8 private key of any algorithm (BEGIN PRIVATE KEY), as in Google service-account JSON files. Format: https://www.rfc-editor.org/rfc/rfc5208#section-5",
			Keywords:    []string{"begin private key"},
			Pattern:     pkPEM("PRIVATE KEY"),
			Group:       1,
			Validators:  []Validator{pkDER(seqVersion0, seqVersion1)},
			Exempt:      exempt,
			Block:       pkBlock("PRIVATE KEY", 160),
			Confidence:  High,
			Remediation: tlsKey,
			TruePositives: []string{
				"-----BEGIN PRIVATE KEY-----\nMIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAKZnuMJwI1DsIKH4\nm8x5yu+xoqwWFE/kHwZ3p2rrMm6knnFUOCPgbE2RWzOl7Z7tHycvR//2EBFzrWku\nUTN8hU61LI3AjwJyIAfPW9w03H7aI+C7C3Ia0utb+CtTgBGMn3qVwIpSOo0lYJef\nfib7KcBc3k8grxAGiqPiCk+g8HZHAgMBAAECgYBvsAA3KPLbNpE0hVt0o25M8Ooh\nHHSnppIYUikhPxlLX9wkboV7tv6aFWykPsM9PyQAteBacPoZ7I1AomDH8NS7iKv4\nR5YCnNi8B19Htp5ACbtxn32hBBijjXbtpx056f7dMGeekrWnRuZxvZYBDnmi+cDB\nVT0UxffEZGWU0Kx+0QJBANojPX5JmiALq5pCA5r8v6YnaY0umwkmsnZtrZGKeuiX\n/vy/tTVCejd0zZOi+rN9g3EvrW96rrFzwm4XciwCgg8CQQDDScrgCQrWHRW+yVDM\n0lb/cnfBda9rbeSlq6t5BOr7QN2vSey79ivA/Los3jx/S56BqCFaDhRRPUFIT6x+\nEKBJAkAEa5JjbLpiy9m+VngcO+LmSwYohjk+Bjq3i6FowZWcAPh5xqi1W5N+bC9+\nPl82I+T19jFdgO7pSZ82++KkYaihAkBG7bdUtZQM/lVWjRHewoq8jtu2FUNYVnqU\nPYyzELkz9nRN5SCpiBiOKHyKLVF1voZcey9Z4QE6HHBojh+NTgaZAkB/FkbsZlTM\n1cgCfIuYFT5LtFyk7CWU1apa1XJYvJ4wbOcCPiYA7Mc/SMEzLnVFRrw1+TR6juQ9\ns8Z+orr79jgC\n-----END PRIVATE KEY-----",
				"{\"type\": \"service_account\", \"project_id\": \"ci-runner-4412\", \"private_key_id\": \"5f0c7d0e1b2a\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAKZnuMJwI1DsIKH4\\nm8x5yu+xoqwWFE/kHwZ3p2rrMm6knnFUOCPgbE2RWzOl7Z7tHycvR//2EBFzrWku\\nUTN8hU61LI3AjwJyIAfPW9w03H7aI+C7C3Ia0utb+CtTgBGMn3qVwIpSOo0lYJef\\nfib7KcBc3k8grxAGiqPiCk+g8HZHAgMBAAECgYBvsAA3KPLbNpE0hVt0o25M8Ooh\\nHHSnppIYUikhPxlLX9wkboV7tv6aFWykPsM9PyQAteBacPoZ7I1AomDH8NS7iKv4\\nR5YCnNi8B19Htp5ACbtxn32hBBijjXbtpx056f7dMGeekrWnRuZxvZYBDnmi+cDB\\nVT0UxffEZGWU0Kx+0QJBANojPX5JmiALq5pCA5r8v6YnaY0umwkmsnZtrZGKeuiX\\n/vy/tTVCejd0zZOi+rN9g3EvrW96rrFzwm4XciwCgg8CQQDDScrgCQrWHRW+yVDM\\n0lb/cnfBda9rbeSlq6t5BOr7QN2vSey79ivA/Los3jx/S56BqCFaDhRRPUFIT6x+\\nEKBJAkAEa5JjbLpiy9m+VngcO+LmSwYohjk+Bjq3i6FowZWcAPh5xqi1W5N+bC9+\\nPl82I+T19jFdgO7pSZ82++KkYaihAkBG7bdUtZQM/lVWjRHewoq8jtu2FUNYVnqU\\nPYyzELkz9nRN5SCpiBiOKHyKLVF1voZcey9Z4QE6HHBojh+NTgaZAkB/FkbsZlTM\\n1cgCfIuYFT5LtFyk7CWU1apa1XJYvJ4wbOcCPiYA7Mc/SMEzLnVFRrw1+TR6juQ9\\ns8Z+orr79jgC\\n-----END PRIVATE KEY-----\\n\", \"client_email\": \"ci@ci-runner-4412.iam.gserviceaccount.com\"}",
				"tls:\n  tls_key: |\n    -----BEGIN PRIVATE KEY-----\n    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgsihAiCuh09Ukwwyc\n    p3Yamjuve6t9kaY+COG++aw1n6OhRANCAASBNVMwTqdMvqe9DYvc9Hcv+EqDAKgH\n    qSoTfOQfPEbUulkk99ckPAaFUwk2hfZpVbgUgV55EV+013zsvVKFJzfl\n    -----END PRIVATE KEY-----\n  enabled: true",
				"KEY = \"\"\"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIEBr2Ubg/OVx47qJG6T0Y6NM/Amjg3zbJXlHTNya18S+\n-----END PRIVATE KEY-----\n\"\"\"",
				"  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIBXAIBADCCATQGByqGSM44BAEwggEnAoGBAMZzBkL7qeBrcD3oe+wDPZtmoGZ2\\nYrKnbcGZcWC7RdzlE0q2Tw7G5p5jpMZ7hdGhhm3YJ5QQTDguE+PEZw584fREwdFN\\nNjK2+/riA4o2pvzTKtRl/efkp13Zye2/ZqvREts6PNUE2fR6qjynkh5Fc/SyGl8F\\nBTDFqpbKH4zxBZw5Ah0A0txaZEJSxCwq7QxoKT7l8kBH6AufFh16RuKD/QKBgQCR\\nvwLJLeBR7zOvHpCz781Nek34zapA8FRCy2iHa961rgqKKbxhEABrcnSa6iLaoGj6\\nqGuBBS6ug0/hCTKitk97hrRHvDfHJYllSa4Hczhvbyi3bwYfmlzYxEi8yNy9wqg0\\nh5i9zRnjMDOIUkHH4wk370J9cWrpsi5Gwv+MHDwmEwQfAh0AsdL+WRK8DGz+us5G\\nWZV8Ksa9X+PqgRX92OzPdw==\\n-----END PRIVATE KEY-----\\n\",",
			},
			FalsePositives: []string{
				"-----BEGIN PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END PRIVATE KEY-----",
				"-----BEGIN PRIVATE KEY-----\n<your private key here>\n-----END PRIVATE KEY-----",
				"-----BEGIN PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END PRIVATE KEY-----",
				"-----BEGIN PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END PRIVATE KEY-----",
				"\"key\": \"-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n\"",
				"-----BEGIN PRIVATE KEY----------END PRIVATE KEY-----",
				"-----BEGIN PRIVATE KEY-----\nz4qsB7ui6cg3w/lrQrTO/IcRbU8ZlmLbUmRD/DB1k0YIVbwNG298tQ2rupk0WVws\nhPQBsm0TjHz4BhdTSSQ0YCasA/6bmFclrIeKalAQ5FFGEs1VrrJ34SdlTDq2VPCE\nmHx2URa2+8VEKVY8SZPBOSoArehBIxmo\n-----END PRIVATE KEY-----",
				"const header = \"-----BEGIN PRIVATE KEY-----\"",
			},
		},
		{
			ID:          "private-key-pkcs8-encrypted",
			Provider:    "PKCS#8 private key (encrypted)",
			Description: "Password-encrypted PKCS#8 private key (BEGIN ENCRYPTED PRIVATE KEY); the password is often committed nearby. Format: https://www.rfc-editor.org/rfc/rfc5208#section-6",
			Keywords:    []string{"begin encrypted private key"},
			Pattern:     pkPEM("ENCRYPTED PRIVATE KEY"),
			Group:       1,
			Validators:  []Validator{pkDER(seqAlgID)},
			Exempt:      exempt,
			Block:       pkBlock("ENCRYPTED PRIVATE KEY", 160),
			Confidence:  High,
			Remediation: tlsKey,
			TruePositives: []string{
				"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIC3TBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIWz4QUkRrJTACAggA\nMAwGCCqGSIb3DQIJBQAwHQYJYIZIAWUDBAEqBBCmNQLCIviup764KrQaGc8SBIIC\ngAt9HnWv5sGQ5TPwilLmwR2XlBLc1jzlrK/fz0pFK874ADB8i48q2Quhmesu15NA\nHNJ+fccA35gH9zUXD+cRXUdO/s+9gy2fR7d5RlFFYnkTbpaFfrrbHWZrx5dIM3G4\ntyYbc0Gs4r4A44OR3x00b3A3Hi2kj2LFdoXnjWwvdgwNUJGaopzan7LEXNyZbpzl\nXPrr1mJIFZGNYMiOeafxAjdFJapKRUOAoKG9JofNdeqrkKc8l/00web5oRV/7c3k\n9ZibKJaOLk+5+k5yqdujxva+NxYWgNjeOPgVZdrT+yooXPqUqItH8OKGl8o+XCKu\noPMF/qs39ID9hEISZoY8SQTMfug65NWcgBA9xjOi3Xdpi9ieZ7JhPWtvAwTLeFnt\n9YsZlw2CR/RLz/HsHY/Obmx6NxRl/u2kHWQQ36Q5L9F2Gprhd98ansyJYPhweZwP\nvf1K2OiMrtxpkJKV+6AtdSV5ec6YOWmduMkImygRBbWQBu+UIjQTNUSVjJAmnWx9\nM9m2g6SYaBR3ekO95BX7ZBGSHjmE1xw4QqsFV+Vd+k0NrTGPOBZm2Scn9iI1Pxdq\nivAfc2qFml4YYvKBGAdvTeYHL29Oio+U431+3mCw3QByywJFh6TdTF9o8cg8YpBx\nWGi9K0Uiz2le6nMekvllNfN3yC5ctIr2fMG4g3JnEhXepX/SMXMX2jxxXhZ+vkyX\n78b4rmwp+Fr1vAgM1/8YIMXs0hbc3ANx8lnIZJCuBEXaa1FMjC0Nst8tnWdanjDi\n3l37gQmtI2wcfLfn9EkrRKNXCxzuul5K87fuyE8Jcm3MVXUXaVf22eFtwuRAObdy\nq1w1IHxnxqbkHnNRJHd1YTk=\n-----END ENCRYPTED PRIVATE KEY-----",
				"tls:\n  tls_key: |\n    -----BEGIN ENCRYPTED PRIVATE KEY-----\n    MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhy0FQa2mAPEwICCAAw\n    DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEIY2mlq8cQxJM3NMHjM0e+sEgZAT\n    OUO5MbvuU4kDrw/VuOl9d6gldGQHcHwM7khe9H+ms0C5nVkp+Ughj2mZMii72cRp\n    sAoEvirI7WoDEpveqJgXsLSPYaMnRsHq2spHQ+l7aEsTIQtzoB8VNX+c3e1tM49K\n    jPzi67HyHsivaJqif/ylAK8zIqSR+HLFCLUOPrCVZsjBLG/rrunh2A8taIkz5pE=\n    -----END ENCRYPTED PRIVATE KEY-----\n  enabled: true",
				"  \"signing_key\": \"-----BEGIN ENCRYPTED PRIVATE KEY-----\\nMIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhy0FQa2mAPEwICCAAw\\nDAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEIY2mlq8cQxJM3NMHjM0e+sEgZAT\\nOUO5MbvuU4kDrw/VuOl9d6gldGQHcHwM7khe9H+ms0C5nVkp+Ughj2mZMii72cRp\\nsAoEvirI7WoDEpveqJgXsLSPYaMnRsHq2spHQ+l7aEsTIQtzoB8VNX+c3e1tM49K\\njPzi67HyHsivaJqif/ylAK8zIqSR+HLFCLUOPrCVZsjBLG/rrunh2A8taIkz5pE=\\n-----END ENCRYPTED PRIVATE KEY-----\\n\",",
			},
			FalsePositives: []string{
				"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END ENCRYPTED PRIVATE KEY-----",
				"-----BEGIN ENCRYPTED PRIVATE KEY-----\n<your private key here>\n-----END ENCRYPTED PRIVATE KEY-----",
				"-----BEGIN ENCRYPTED PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END ENCRYPTED PRIVATE KEY-----",
				"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END ENCRYPTED PRIVATE KEY-----",
				"\"key\": \"-----BEGIN ENCRYPTED PRIVATE KEY-----\\n...\\n-----END ENCRYPTED PRIVATE KEY-----\\n\"",
				"-----BEGIN ENCRYPTED PRIVATE KEY----------END ENCRYPTED PRIVATE KEY-----",
			},
		},
		{
			ID:          "private-key-openssh",
			Provider:    "OpenSSH private key",
			Description: "OpenSSH private key (BEGIN OPENSSH PRIVATE KEY, openssh-key-v1), encrypted or not. Format: https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key",
			Keywords:    []string{"begin openssh private key"},
			Pattern:     pkPEM("OPENSSH PRIVATE KEY"),
			Group:       1,
			Validators:  []Validator{pkOpenSSH},
			Exempt:      exempt,
			Block:       pkBlock("OPENSSH PRIVATE KEY", 120),
			Confidence:  High,
			Remediation: sshKey,
			TruePositives: []string{
				"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACAWS5kHuZGA+jWIVzz1j02GgD76U6Tcv+gQp31cV20cyQAAAJgHSqi+B0qo\nvgAAAAtzc2gtZWQyNTUxOQAAACAWS5kHuZGA+jWIVzz1j02GgD76U6Tcv+gQp31cV20cyQ\nAAAECB4MPIQVpnlyyxa1KzsW4STeOz7++Oapip4XSCgAXC2BZLmQe5kYD6NYhXPPWPTYaA\nPvpTpNy/6BCnfVxXbRzJAAAAEGRlcGxveUBjaS1ydW5uZXIBAgMEBQ==\n-----END OPENSSH PRIVATE KEY-----",
				"tls:\n  deploy_key: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAlwAAAAdzc2gtcn\n    NhAAAAAwEAAQAAAIEAqrZnlt2dpEOeJG4us4O/1O3e2toGOyb15UkJfsh83ghmRuLKAY9C\n    hWBJvSc440sa8/KzQIHIjoaFmUv4lZ1gioVWZuT8euX36jgPj9Je9TvkqB/oJpZsQkgPA+\n    MWL5+XlmKvI/c0dsapjbLbGet6ng8WyQa0cQ9VTYX6PoDjJmUAAAIIlCZSX5QmUl8AAAAH\n    c3NoLXJzYQAAAIEAqrZnlt2dpEOeJG4us4O/1O3e2toGOyb15UkJfsh83ghmRuLKAY9ChW\n    BJvSc440sa8/KzQIHIjoaFmUv4lZ1gioVWZuT8euX36jgPj9Je9TvkqB/oJpZsQkgPA+MW\n    L5+XlmKvI/c0dsapjbLbGet6ng8WyQa0cQ9VTYX6PoDjJmUAAAADAQABAAAAgEPpvNwv3f\n    7zR36Gtt2DlFVJLFc0VTZDEZ/dpoFhkQtjnAynPGXScExPOgaeC+ugfWB/NQB8oSTSL2QE\n    7SfYLAdJCvaQLtBhghGOaq+6YyCMDCIEWoeV04yRH0laKNE6hBnabUfbZZOGBvz+XwUZfU\n    P/WW82cC5faPIfiJpSwschAAAAQQCnQCAtl0evB9BOrGfu1nvV0sgJ2pW3irZDWt2k0XHf\n    Y2KVwEmJ40w6gB8FLdXVuSMVC4MGBbJWff820Pz3wjfqAAAAQQDXmEPZGxdKWPQTYOp4u9\n    osdcvScj4OdXoIBLtwVKnOZSsMm4A4kmMpcunlOefOd8BiQFa0SHSMSpTnEJZlvRUjAAAA\n    QQDKtMsJoNBmGmoozcVFV77tX8wx2CNIxxPtmgIhWuajgY52mwpTl6PMtmnvwp/scWmwAU\n    V4XkVpcNLGFVAsdWLXAAAAC2J1aWxkQGhvc3Q3AQIDBAUGBw==\n    -----END OPENSSH PRIVATE KEY-----\n  enabled: true",
				"  \"ssh_key\": \"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS\\n1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQSGzbkZoJrGsbPV38215j5n+I8zC74i\\nHGz860ont1lbAwC1vGlLB/GFnfiuByD6JUEh/NL4JPlSLTIweJRX/WVkAAAAqN4SYXHeEm\\nFxAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBIbNuRmgmsaxs9Xf\\nzbXmPmf4jzMLviIcbPzrSie3WVsDALW8aUsH8YWd+K4HIPolQSH80vgk+VItMjB4lFf9ZW\\nQAAAAhAPuvb797xNhHSmh7Pomcp89X1Fcv05LyUudkR9y4gKcQAAAACXN2Y0B3ZWItMwEC\\nAwQFBg==\\n-----END OPENSSH PRIVATE KEY-----\\n\",",
				"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABAoiCM7mx\ngqX/7JsnXQ8cbQAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAICfYJqj91atWLwrJ\nMF1KCpsUFhNPmme8i17UQ9w/XwHOAAAAkF/UWt20qrGhz8nChTJtI+gt8JK4lULGkcUcUs\nrsRh2SqI9LdUrjtZLt5rIdljkqCQiJpVs7Tu9P1hGuic6NiAXnVaR5NePSvYg3JWYIigdY\n/UP60N1Mw4dZo/ktsZihUstWMULcLoi7EW91TY8nYeS4Y1ISgkzGoFrSJMo0014YCx4E4R\n1Svn/LesMmfOADLg==\n-----END OPENSSH PRIVATE KEY-----",
			},
			FalsePositives: []string{
				"-----BEGIN OPENSSH PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END OPENSSH PRIVATE KEY-----",
				"-----BEGIN OPENSSH PRIVATE KEY-----\n<your private key here>\n-----END OPENSSH PRIVATE KEY-----",
				"-----BEGIN OPENSSH PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END OPENSSH PRIVATE KEY-----",
				"-----BEGIN OPENSSH PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END OPENSSH PRIVATE KEY-----",
				"\"key\": \"-----BEGIN OPENSSH PRIVATE KEY-----\\n...\\n-----END OPENSSH PRIVATE KEY-----\\n\"",
				"-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----",
				"-----BEGIN OPENSSH PRIVATE KEY-----\nz4qsB7ui6cg3w/lrQrTO/IcRbU8ZlmLbUmRD/DB1k0YIVbwNG298tQ2rupk0WVws\nhPQBsm0TjHz4BhdTSSQ0YCasA/6bmFclrIeKalAQ5FFGEs1VrrJ34SdlTDq2VPCE\nmHx2URa2+8VEKVY8SZPBOSoArehBIxmo\n-----END OPENSSH PRIVATE KEY-----",
				"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBZLmQe5kYD6NYhXPPWPTYaAPvpTpNy/6BCnfVxXbRzJ deploy@ci-runner",
			},
		},
		{
			ID:          "private-key-pgp",
			Provider:    "OpenPGP private key",
			Description: "ASCII-armored OpenPGP secret key (BEGIN PGP PRIVATE KEY BLOCK). Format: https://www.rfc-editor.org/rfc/rfc4880#section-6.2",
			Keywords:    []string{"begin pgp private key block"},
			Pattern:     pkPEM("PGP PRIVATE KEY BLOCK"),
			Group:       1,
			Validators:  []Validator{pkPGP},
			Exempt:      exempt,
			Block:       pkBlock("PGP PRIVATE KEY BLOCK", 250),
			Confidence:  High,
			Remediation: pgpKey,
			TruePositives: []string{
				"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlFgEawpt7RYJKwYBBAHaRw8BAQdAi6i2YeuWbJfGzSOs/jNxAQNhe4ReZL7hb3OK\nHHNfD/gAAQCjokfaPqnG+mgPSeEp0u6HGdkKgzjDpUGgRqCzjElVhhBotB1DSSBC\nb3QgPGNpQHB1c2hndWFyZC5pbnZhbGlkPoiQBBMWCAA4FiEEU+3FHkVvJIHUzqH5\nNKsRwNL/O0UFAmsKbe0CGwMFCwkIBwIGFQoJCAsCBBYCAwECHgECF4AACgkQNKsR\nwNL/O0WfVgD+M1mXobTBol3rRMsDCNEweo+zuhYO9a7Ki7f4KDczi+YBAJmudywC\nP+DeISpPqAB2nieI9KBmmZpNDDSlfckMbLQA\n=ETdg\n-----END PGP PRIVATE KEY BLOCK-----",
				"tls:\n  signing_key: |\n    -----BEGIN PGP PRIVATE KEY BLOCK-----\n    \n    lQHYBGsKb0wBBACt7jjnE81jAAt15z/L8qAbLhXv2K4cCtzuCjvZx6w1uXkGuYT6\n    WjisEG/9RkF697dKSrUc6KyK9MWWbRUCMZjXyo8FZR3E20/cMeth9a7a1Krfgy5l\n    uXscMQ6kyvVvnsRvXyihHLEbZMsokIsVF0QPEyogk0zoZm6rrKsN4umF8wARAQAB\n    AAP/UW2H4lcY/tJUizxaV8cdQdxPlNxilupXCHJuFsUuUHCmwok0Qmjew19mrrKn\n    kURL4VIcfI5JyTxTDNvAzCggH5BaIrzS38G9pReZ/7yghDPiMMElZ7vKvEf3F1a6\n    w+XNCg9ph2HqWqL+5NF/b8vQvB8HXXPOI4oAX4D/yr81foECAMAwe9AqNrbsHGC/\n    b8EuHfOmhxGoDtHJtUppcKDsZtzUSzfN6KeOffTgyRwiU8Q3LHJYpJ7R8J6+rZxT\n    KlOs2JMCAOetywV+bBQGPkvl0Ju6fFRBmWmlozTEiqw2LBbLQKfDuIROXYQwej/C\n    hm7ZppS14M+uOEt9yyPrQNF89Brf2SEB/15U9F4iA1xm0PIvQ1CNqnGvnK8u0Bgt\n    bN0nZBRjsdQCqz0SUKKiGZa3fh+zx6cQLXBm809hf6fukTwdpx+r9JSkNbQqUmVs\n    ZWFzZSBTaWduZXIgPHJlbGVhc2VAcHVzaGd1YXJkLmludmFsaWQ+iM4EEwEKADgW\n    IQQBM+Usm2HrkNn7INqfV0N65shHKAUCawpvTAIbAwULCQgHAgYVCgkICwIEFgID\n    AQIeAQIXgAAKCRCfV0N65shHKElUA/0W9UJyw33/OABth8/j/spfd/PX2WAxwUFa\n    Dx5lrp70iRbBj7c1m2J/77e0g4hj50LukBso++l6ViELj9L9UBbvYPHUwlKBkwL+\n    mMwiF6tzuCdT7ZhcGu2UfJwjrZ5H/OEGtlGvd1MDS4q1zc//8pvQNpbF3xM8gBlB\n    F5bf5Fpi8w==\n    =HOrS\n    -----END PGP PRIVATE KEY BLOCK-----\n  enabled: true",
				"  \"gpg_private_key\": \"-----BEGIN PGP PRIVATE KEY BLOCK-----\\n\\nlFgEawpt7RYJKwYBBAHaRw8BAQdAi6i2YeuWbJfGzSOs/jNxAQNhe4ReZL7hb3OK\\nHHNfD/gAAQCjokfaPqnG+mgPSeEp0u6HGdkKgzjDpUGgRqCzjElVhhBotB1DSSBC\\nb3QgPGNpQHB1c2hndWFyZC5pbnZhbGlkPoiQBBMWCAA4FiEEU+3FHkVvJIHUzqH5\\nNKsRwNL/O0UFAmsKbe0CGwMFCwkIBwIGFQoJCAsCBBYCAwECHgECF4AACgkQNKsR\\nwNL/O0WfVgD+M1mXobTBol3rRMsDCNEweo+zuhYO9a7Ki7f4KDczi+YBAJmudywC\\nP+DeISpPqAB2nieI9KBmmZpNDDSlfckMbLQA\\n=ETdg\\n-----END PGP PRIVATE KEY BLOCK-----\\n\",",
			},
			FalsePositives: []string{
				"-----BEGIN PGP PRIVATE KEY BLOCK-----\nMIIEpAIBAAKCAQEA...\n-----END PGP PRIVATE KEY BLOCK-----",
				"-----BEGIN PGP PRIVATE KEY BLOCK-----\n<your private key here>\n-----END PGP PRIVATE KEY BLOCK-----",
				"-----BEGIN PGP PRIVATE KEY BLOCK-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END PGP PRIVATE KEY BLOCK-----",
				"-----BEGIN PGP PRIVATE KEY BLOCK-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END PGP PRIVATE KEY BLOCK-----",
				"\"key\": \"-----BEGIN PGP PRIVATE KEY BLOCK-----\\n...\\n-----END PGP PRIVATE KEY BLOCK-----\\n\"",
				"-----BEGIN PGP PRIVATE KEY BLOCK----------END PGP PRIVATE KEY BLOCK-----",
				"-----BEGIN PGP PRIVATE KEY BLOCK-----\nz4qsB7ui6cg3w/lrQrTO/IcRbU8ZlmLbUmRD/DB1k0YIVbwNG298tQ2rupk0WVws\nhPQBsm0TjHz4BhdTSSQ0YCasA/6bmFclrIeKalAQ5FFGEs1VrrJ34SdlTDq2VPCE\nmHx2URa2+8VEKVY8SZPBOSoArehBIxmo\n-----END PGP PRIVATE KEY BLOCK-----",
				"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEawpt7RYJKwYBBAHaRw8BAQdAi6i2YeuWbJfGzSOs/jNxAQNhe4ReZL7hb3OK\nHHNfD/i0HUNJIEJvdCA8Y2lAcHVzaGd1YXJkLmludmFsaWQ+iJAEExYIADgWIQRT\n7cUeRW8kgdTOofk0qxHA0v87RQUCawpt7QIbAwULCQgHAgYVCgkICwIEFgIDAQIe\nAQIXgAAKCRA0qxHA0v87RZ9WAP4zWZehtMGiXetEywMI0TB6j7O6Fg71rsqLt/go\nNzOL5gEAma53LAI/4N4hKk+oAHaeJ4j0oGaZmk0MNKV9yQxstAA=\n=JhT4\n-----END PGP PUBLIC KEY BLOCK-----",
			},
		},
		{
			ID:          "private-key-putty",
			Provider:    "PuTTY private key",
			Description: "PuTTY private key file (.ppk, versions 2 and 3); the secret is its Private-Lines. Format: https://the.earth.li/~sgtatham/putty/latest/htmldoc/AppendixC.html",
			Keywords:    []string{"putty-user-key-file-"},
			Pattern:     `PuTTY-User-Key-File-[23]: [A-Za-z0-9@.-]+` + pkSep + `(?:[A-Za-z0-9-]+: [^\r\n\\]*` + pkSep + `)+` + pkBody + pkSep + `(?:[A-Za-z0-9-]+: [^\r\n\\]*` + pkSep + `)*Private-Lines: [0-9]+` + pkSep + `(` + pkBody + `)` + pkSep + `Private-MAC: [0-9a-f]{40,64}`,
			Group:       1,
			Validators:  []Validator{pkPuTTY},
			Exempt:      exempt,
			Block:       &Block{Begin: `PuTTY-User-Key-File-[23]: [A-Za-z0-9@.-]+[ \t\r]*$`, End: `Private-MAC: [0-9a-f]{40,64}`, MaxLines: 60},
			Confidence:  High,
			Remediation: puttyKey,
			TruePositives: []string{
				"PuTTY-User-Key-File-2: ssh-ed25519\nEncryption: none\nComment: ops@bastion\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIJWg70E2ThSJXthClgKW0SOIBaQdezmyH01pipmv\nzHjr\nPrivate-Lines: 1\nAAAAIOMoNW2l8Ub/FwD8lfE/rR94cDLfavHpb1hahwFpVAp+\nPrivate-MAC: ddd4493fcef7099db5a607f5acc5b2fe614f632c",
				"tls:\n  ppk: |\n    PuTTY-User-Key-File-2: ssh-ed25519\n    Encryption: none\n    Comment: ops@bastion\n    Public-Lines: 2\n    AAAAC3NzaC1lZDI1NTE5AAAAIJWg70E2ThSJXthClgKW0SOIBaQdezmyH01pipmv\n    zHjr\n    Private-Lines: 1\n    AAAAIOMoNW2l8Ub/FwD8lfE/rR94cDLfavHpb1hahwFpVAp+\n    Private-MAC: ddd4493fcef7099db5a607f5acc5b2fe614f632c\n  enabled: true",
				"  \"putty_key\": \"PuTTY-User-Key-File-2: ssh-ed25519\\nEncryption: none\\nComment: ops@bastion\\nPublic-Lines: 2\\nAAAAC3NzaC1lZDI1NTE5AAAAIJWg70E2ThSJXthClgKW0SOIBaQdezmyH01pipmv\\nzHjr\\nPrivate-Lines: 1\\nAAAAIOMoNW2l8Ub/FwD8lfE/rR94cDLfavHpb1hahwFpVAp+\\nPrivate-MAC: ddd4493fcef7099db5a607f5acc5b2fe614f632c\\n\",",
				"PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: build@host7\nPublic-Lines: 4\nAAAAB3NzaC1yc2EAAAADAQABAAAAgQCqtmeW3Z2kQ54kbi6zg7/U7d7a2gY7JvXl\nSQl+yHzeCGZG4soBj0KFYEm9JzjjSxrz8rNAgciOhoWZS/iVnWCKhVZm5Px65ffq\nOA+P0l71O+SoH+gmlmxCSA8D4xYvn5eWYq8j9zR2xqmNstsZ63qeDxbJBrRxD1VN\nhfo+gOMmZQ==\nPrivate-Lines: 8\nAAAAgEPpvNwv3f7zR36Gtt2DlFVJLFc0VTZDEZ/dpoFhkQtjnAynPGXScExPOgae\nC+ugfWB/NQB8oSTSL2QE7SfYLAdJCvaQLtBhghGOaq+6YyCMDCIEWoeV04yRH0la\nKNE6hBnabUfbZZOGBvz+XwUZfUP/WW82cC5faPIfiJpSwschAAAAQQDXmEPZGxdK\nWPQTYOp4u9osdcvScj4OdXoIBLtwVKnOZSsMm4A4kmMpcunlOefOd8BiQFa0SHSM\nSpTnEJZlvRUjAAAAQQDKtMsJoNBmGmoozcVFV77tX8wx2CNIxxPtmgIhWuajgY52\nmwpTl6PMtmnvwp/scWmwAUV4XkVpcNLGFVAsdWLXAAAAQQCnQCAtl0evB9BOrGfu\n1nvV0sgJ2pW3irZDWt2k0XHfY2KVwEmJ40w6gB8FLdXVuSMVC4MGBbJWff820Pz3\nwjfq\nPrivate-MAC: 9c5d7fa25ce8f5a006999101da0a7c8c49e1ebea8eaf32b9af274d0bdcba7c06",
			},
			FalsePositives: []string{
				"PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-20240101\nPublic-Lines: 1\nAAAAB3NzaC1yc2EAAAADAQAB...\nPrivate-Lines: 1\n...\nPrivate-MAC: 0000000000000000000000000000000000000000",
				"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: <comment>\nPublic-Lines: 2\n<public key>\nPrivate-Lines: 1\n<private key>\nPrivate-MAC: <mac>",
				"if strings.HasPrefix(line, \"PuTTY-User-Key-File-2: \") {",
				"PuTTY-User-Key-File-2: ssh-ed25519\nEncryption: none\nComment: short\nPublic-Lines: 1\nAAAAC3NzaC1lZDI1NTE5\nPrivate-Lines: 1\nAAAAIO\nPrivate-MAC: ddd4493fcef7099db5a607f5acc5b2fe614f632c",
			},
		},
	}
}
