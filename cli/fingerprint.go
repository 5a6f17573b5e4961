package cli

import (
	"fmt"
	"os"
	"strings"
)

// The variables holding the fingerprint key, as the App reads them.
const (
	// fingerprintKeyEnv holds the key itself. Set it to the App's key and
	// the CLI's fingerprints equal the App's.
	fingerprintKeyEnv = "PUSHGUARD_FINGERPRINT_KEY"
	// fingerprintKeyFileEnv names a file holding the key (a mounted secret);
	// trailing line ends are not part of the key.
	fingerprintKeyFileEnv = fingerprintKeyEnv + "_FILE"
)

// fingerprintKey returns the key of the run's fingerprints, read as the App
// reads it: $PUSHGUARD_FINGERPRINT_KEY, or the file named by
// $PUSHGUARD_FINGERPRINT_KEY_FILE (setting both, or a key of only
// whitespace, is an error).
//
// Without either it returns nil: fingerprints are then HMAC-SHA256 under an
// empty key, the same from run to run and machine to machine, so baselines,
// ignore files and SARIF partialFingerprints stay valid. Such a fingerprint
// is a public hash of the rule and the secret: whoever holds one can confirm
// a guess of the secret by hashing candidates, which matters for short
// secrets such as passwords (README, "Fingerprints").
func fingerprintKey(getenv func(string) string) ([]byte, error) {
	val, file := getenv(fingerprintKeyEnv), strings.TrimSpace(getenv(fingerprintKeyFileEnv))
	switch {
	case val != "" && file != "":
		return nil, fmt.Errorf("set %s or %s, not both", fingerprintKeyEnv, fingerprintKeyFileEnv)
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fingerprintKeyFileEnv, err)
		}
		if val = strings.TrimRight(string(b), "\r\n"); val == "" {
			return nil, fmt.Errorf("%s: %s is empty", fingerprintKeyFileEnv, file)
		}
	}
	if val != "" && strings.TrimSpace(val) == "" {
		return nil, fmt.Errorf("%s is blank: a key of only whitespace is no key", fingerprintKeyEnv)
	}
	if val == "" {
		return nil, nil
	}
	return []byte(val), nil
}
