package validity

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
)

// awsKeyIDRe is an AWS access key ID (long-term AKIA or temporary ASIA).
var awsKeyIDRe = regexp.MustCompile(`^A[KS]IA[A-Z2-7]{16}$`)

// awsSecretRe is an AWS secret access key.
var awsSecretRe = regexp.MustCompile(`^[A-Za-z0-9/+]{40}$`)

// cloudVerifiers check cloud and hosting providers.
func cloudVerifiers() []Verifier {
	return []Verifier{
		{
			// STS GetCallerIdentity (SigV4-signed POST of a query form):
			// returns who the key is and needs no permission; it reads.
			RuleIDs:  []string{"aws-access-key-id", "aws-temporary-access-key-id", "aws-secret-access-key", "aws-secret-access-key-near-key-id"},
			Provider: "AWS",
			Host:     "sts.amazonaws.com",
			Docs:     "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
			Request:  awsRequest,
			Judge:    judgeAWS,
		},
		{
			// GET /v2/account returns the token's account.
			RuleIDs:  []string{"digitalocean-pat", "digitalocean-oauth-token"},
			Provider: "DigitalOcean",
			Host:     "api.digitalocean.com",
			Docs:     "https://docs.digitalocean.com/reference/api/digitalocean/#tag/Account/operation/account_get",
			Request:  bearerGET("/v2/account"),
			Judge:    judgeJSON("account", http.StatusUnauthorized),
		},
		{
			// GET /client/v4/user/tokens/verify describes the token itself.
			RuleIDs:  []string{"cloudflare-api-token", "cloudflare-api-token-legacy"},
			Provider: "Cloudflare",
			Host:     "api.cloudflare.com",
			Docs:     "https://developers.cloudflare.com/api/resources/user/subresources/tokens/methods/verify/",
			Request:  bearerGET("/client/v4/user/tokens/verify"),
			Judge:    judgeCloudflare,
		},
		{
			// GET /api/v1/user returns the token's user.
			RuleIDs:  []string{"netlify-token", "netlify-token-legacy"},
			Provider: "Netlify",
			Host:     "api.netlify.com",
			Docs:     "https://open-api.netlify.com/#tag/user/operation/getCurrentUser",
			Request:  bearerGET("/api/v1/user"),
			Judge:    judgeJSON("id", http.StatusUnauthorized),
		},
	}
}

// awsRequest pairs the key ID and the secret key (whichever was found, the
// other from extra) and signs GetCallerIdentity for us-east-1.
func awsRequest(in Input) (*http.Request, error) {
	s := sigV4{region: "us-east-1", service: "sts", token: in.Extra[ExtraAWSSessionToken]}
	if awsKeyIDRe.MatchString(in.Secret) {
		s.keyID, s.secret = in.Secret, in.Extra[ExtraAWSSecretAccessKey]
	} else {
		s.keyID, s.secret = in.Extra[ExtraAWSAccessKeyID], in.Secret
	}
	if !awsKeyIDRe.MatchString(s.keyID) {
		return nil, fmt.Errorf("needs %s: %w", ExtraAWSAccessKeyID, ErrMissingCompanion)
	}
	if !awsSecretRe.MatchString(s.secret) {
		return nil, fmt.Errorf("needs %s: %w", ExtraAWSSecretAccessKey, ErrMissingCompanion)
	}
	if s.keyID[:4] == "ASIA" && s.token == "" {
		return nil, fmt.Errorf("needs %s: %w", ExtraAWSSessionToken, ErrMissingCompanion)
	}
	body := []byte("Action=GetCallerIdentity&Version=2011-06-15")
	req, err := newRequest(http.MethodPost, in.Base+"/", body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	s.sign(req, body, in.Now)
	return req, nil
}

// judgeAWS: a GetCallerIdentityResult is live; InvalidClientTokenId (no
// such key), SignatureDoesNotMatch (not this key's secret) and ExpiredToken
// are not; anything else (RequestExpired from a skewed clock) is unknown.
func judgeAWS(status int, body []byte) (Status, string) {
	switch {
	case status == http.StatusOK && bytes.Contains(body, []byte("<GetCallerIdentityResult>")):
		return Live, reasonAccepted
	case status != http.StatusForbidden:
		return Unknown, fmt.Sprintf("%s: HTTP %d", reasonUnexpected, status)
	case bytes.Contains(body, []byte("<Code>InvalidClientTokenId</Code>")):
		return NotLive, "no such access key (InvalidClientTokenId)"
	case bytes.Contains(body, []byte("<Code>SignatureDoesNotMatch</Code>")):
		return NotLive, "the secret key is not this access key's (SignatureDoesNotMatch)"
	case bytes.Contains(body, []byte("<Code>ExpiredToken</Code>")):
		return NotLive, "temporary credentials expired (ExpiredToken)"
	default:
		return Unknown, reasonUnexpected
	}
}

// judgeCloudflare: success with result.status "active" is live; another
// status (disabled, expired) or 401 is not.
func judgeCloudflare(status int, body []byte) (Status, string) {
	var r struct {
		Success bool `json:"success"`
		Result  struct {
			Status string `json:"status"`
		} `json:"result"`
	}
	ok := json.Unmarshal(body, &r) == nil
	switch {
	case status == http.StatusOK && ok && r.Success && r.Result.Status == "active":
		return Live, reasonAccepted
	case status == http.StatusOK && ok && r.Success && r.Result.Status != "":
		return NotLive, "token is not active (disabled or expired)"
	case status == http.StatusUnauthorized:
		return NotLive, reasonRejected
	default:
		return Unknown, reasonUnexpected
	}
}
