package queue

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Identifiers in a job come from webhook payloads and end up in GitHub API
// paths. Each is checked against what GitHub itself allows, so that none can
// be more than one path segment ("../../app/x", "a/b", "a?b") or a SHA that
// is not one.
var (
	shaPattern      = regexp.MustCompile(`^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)
	loginPattern    = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})(?:\[bot\])?$`)
	repoPattern     = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
	wordPattern     = regexp.MustCompile(`^[A-Za-z0-9_.-]{0,40}$`)
	deliveryPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$`)
)

// errBadIdentifier marks an identifier that could not safely reach a URL.
var errBadIdentifier = errors.New("bad identifier")

// checkSHA checks a commit SHA (SHA-1 or SHA-256 hex).
func checkSHA(field, sha string) error {
	if !shaPattern.MatchString(sha) {
		return fmt.Errorf("%w: %s %q is not a commit SHA", errBadIdentifier, field, sha)
	}
	return nil
}

// checkLogin checks a user or organisation login.
func checkLogin(field, login string) error {
	if !loginPattern.MatchString(login) {
		return fmt.Errorf("%w: %s %q is not a GitHub login", errBadIdentifier, field, login)
	}
	return nil
}

// checkRepoName checks a repository's name (without its owner).
func checkRepoName(field, name string) error {
	if !repoPattern.MatchString(name) || name == "." || name == ".." {
		return fmt.Errorf("%w: %s %q is not a repository name", errBadIdentifier, field, name)
	}
	return nil
}

// checkFullName checks "owner/name".
func checkFullName(field, full string) error {
	owner, name, ok := strings.Cut(full, "/")
	if !ok || checkLogin(field, owner) != nil || checkRepoName(field, name) != nil {
		return fmt.Errorf("%w: %s %q is not owner/name", errBadIdentifier, field, full)
	}
	return nil
}

// checkRef checks a fully qualified ref ("refs/heads/main") by git's rules
// for ref names (git check-ref-format), which also keep it out of URLs'
// special characters.
func checkRef(field, ref string) error {
	if !strings.HasPrefix(ref, "refs/") || !validRefName(ref) {
		return fmt.Errorf("%w: %s %q is not a git ref", errBadIdentifier, field, ref)
	}
	return nil
}

// validRefName applies git check-ref-format's rules.
func validRefName(ref string) bool {
	if len(ref) > 1024 || ref == "@" || strings.HasSuffix(ref, "/") || strings.HasSuffix(ref, ".") ||
		strings.Contains(ref, "..") || strings.Contains(ref, "@{") || strings.Contains(ref, "//") ||
		strings.ContainsAny(ref, " ~^:?*[\\") {
		return false
	}
	for _, c := range ref {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	for _, part := range strings.Split(ref, "/") {
		if part == "" || strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return false
		}
	}
	return true
}

// checkWebURL checks a repository's web page address.
func checkWebURL(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%w: %s %q is not a web address", errBadIdentifier, field, raw)
	}
	return nil
}

// checkAction checks an event's action or a button's identifier (GitHub's
// own example spells one "lgtm|26764"): at most 40 printable ASCII
// characters, none of them a path, query or escape character.
func checkAction(action string) error {
	bad := len(action) > 40 || strings.ContainsAny(action, `/\?#%`)
	for _, c := range action {
		bad = bad || c <= ' ' || c > '~'
	}
	if bad {
		return fmt.Errorf("%w: action %q", errBadIdentifier, action)
	}
	return nil
}

// checkPattern checks a short word (an event, an action, a button's
// identifier) or a delivery ID.
func checkPattern(field, s string, p *regexp.Regexp) error {
	if !p.MatchString(s) {
		return fmt.Errorf("%w: %s %q", errBadIdentifier, field, s)
	}
	return nil
}

// ValidSHA reports whether s is a commit or blob SHA (SHA-1 or SHA-256
// hex): what a worker checks before a SHA that GitHub's own answers gave it
// goes into an API path.
func ValidSHA(s string) bool { return shaPattern.MatchString(s) }
