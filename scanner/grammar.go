package scanner

import "strings"

// The pattern grammar shared by every rule family. A rule either finds a
// token that carries its own unmistakable prefix (uniqueToken), or a value
// that is only recognisable by the name it is assigned to (assigned). Both
// builders return an RE2 fragment whose capture group 1 is the secret, so
// rules built with them set Group: 1.
//
// One grammar means one answer to "is `setKey("STRIPE_KEY", v)` caught?":
// the answer no longer depends on the file a rule sits in.

const (
	// assignNameTail is what may follow the part of a name a rule matches:
	// more name characters (AWS_SECRET_ACCESS_KEY, herokuToken,
	// stripe.api.key) and up to two closing quotes or brackets, possibly
	// escaped (ENV["NAME"], "{\"name\": …}").
	assignNameTail = `[A-Za-z0-9_.\-]{0,30}?(?:\\?["'\x60\]]){0,2}`
	// assignType is an optional word between the name and the operator: a
	// type (Go's `var key string =`) or an attribute name (.NET's
	// `<add key="StripeKey" value="…"/>`).
	assignType = `(?:\s+[A-Za-z][A-Za-z0-9_]{0,15})?`
	// assignOp is every assignment operator the rules understand, with the
	// opening quote of the value: = := ::= :::= ?= .= += => (code, .env,
	// TOML, HCL, Java properties, PowerShell, XML attributes), : (YAML,
	// JSON), the ( of a call (apiKey("v")) and the > that ends an XML start
	// tag (<name>v</name>); and the , between a call's arguments
	// (setKey("NAME", "v")), which needs a quoted value: a bare comma is a
	// list ("token, err := f()"), not an assignment.
	assignOp = `\s*(?:(?:=>|:{1,3}=|\?=|\.=|\+=|[:=(>])\s*` + assignOpenQuote + `|,\s*(?:\\?["'\x60]|@"))`
	// assignOpenQuote is an optional opening quote, possibly escaped, or the
	// @" of a C# verbatim string.
	assignOpenQuote = `(?:\\?["'\x60]|@")?`
	// assignValueEnd ends a value: a character that cannot continue a token
	// (base64, identifiers), or the end of the line.
	assignValueEnd = `(?:[^A-Za-z0-9_+/=\-]|$)`
)

// assignPrefix is everything of an assignment before its value: the name
// (matching name, an RE2 fragment without capture groups, case-insensitively),
// then an operator; or a command-line flag whose name matches name, followed
// by "=" or spaces (--stripe-key sk_live_…).
func assignPrefix(name string) string {
	return `(?:(?i:` + name + `)` + assignNameTail + assignType + assignOp +
		`|--(?i:[a-z0-9\-]{0,30}?` + name + `)[A-Za-z0-9\-]{0,30}(?:=|\s+)` + assignOpenQuote + `)`
}

// assigned builds the pattern of a value assigned to a name that matches name
// (an RE2 fragment without capture groups, matched case-insensitively). It
// accepts every assignment form of assignPrefix, in any language or format:
// NAME=v, export NAME=v, set NAME=v, name: v, "name": "v", name := v,
// name += v, 'name' => 'v', $name = "v", name("v"), setKey("NAME", "v"),
// <name>v</name>, <add key="name" value="v"/>, --name v. The value, which
// is capture group 1, is value (an RE2 fragment) and must end at a character
// that cannot continue a token.
func assigned(name, value string) string {
	return assignPrefix(name) + `(` + value + `)` + assignValueEnd
}

// assignedOrAlone is assigned that also accepts the value alone on its line
// (the body of an XML element or of a YAML block scalar whose name is on the
// line above). Rules using it set a KeywordWindow so that the keyword may sit
// on a nearby line. The value is capture group 1.
func assignedOrAlone(name, value string) string {
	return `(?:` + assignPrefix(name) + `|^\s*["'\x60]?)(` + value + `)` + assignValueEnd
}

// uniqueToken builds the pattern of a token that identifies itself (a
// provider prefix, a fixed structure): token (an RE2 fragment without capture
// groups) as capture group 1, neither preceded nor followed by a character of
// alphabet (the inside of a bracket expression: the characters a longer token
// around it could be made of), so that it never matches inside a longer
// string. An "=" may precede the token even when alphabet holds it (as base64
// padding): it is then an assignment.
//
// With the word alphabet (wordChars) the boundaries are \b, which consume
// nothing, so two tokens one space apart are both found.
func uniqueToken(token, alphabet string) string {
	if alphabet == wordChars {
		return `\b(` + token + `)\b`
	}
	return `(?:^|[^` + strings.ReplaceAll(alphabet, "=", "") + `])(` + token + `)(?:[^` + alphabet + `]|$)`
}

// Token alphabets for uniqueToken.
const (
	// tokenChars: letters, digits, '_' and '-', the alphabet of most
	// prefixed tokens (\b would treat '-' as a boundary and cut a token
	// short).
	tokenChars = `A-Za-z0-9_\-`
	// wordChars: letters, digits and '_', for tokens such as ghp_… that
	// start and end with one of them.
	wordChars = `A-Za-z0-9_`
	// b64TokenChars: tokenChars plus base64's '+', '/' and '=', for tokens
	// that must not match inside a base64 blob.
	b64TokenChars = `A-Za-z0-9_+/=\-`
)
