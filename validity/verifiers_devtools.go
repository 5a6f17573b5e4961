package validity

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
)

// devtoolsVerifiers check source hosts, registries, collaboration and
// secret-management tools.
func devtoolsVerifiers() []Verifier {
	return []Verifier{
		{
			// GET /user returns the token's user (GitHub.com or, through the
			// configured GITHUB_API_URL, Enterprise Server).
			RuleIDs:   []string{"github-pat", "github-fine-grained-pat", "github-oauth-token", "github-user-token"},
			Provider:  "GitHub",
			Host:      "api.github.com",
			GitHubAPI: true,
			Docs:      "https://docs.github.com/en/rest/users/users#get-the-authenticated-user",
			Request:   bearerGET("/user"),
			Judge:     judgeJSON("login", http.StatusUnauthorized),
		},
		{
			// GET /installation/repositories?per_page=1: what an installation
			// token can read (/user refuses installation tokens).
			RuleIDs:   []string{"github-installation-token", "github-installation-token-jwt"},
			Provider:  "GitHub",
			Host:      "api.github.com",
			GitHubAPI: true,
			Docs:      "https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation",
			Request:   bearerGET("/installation/repositories?per_page=1"),
			Judge:     judgeJSON("total_count", http.StatusUnauthorized),
		},
		{
			// GET /api/v4/personal_access_tokens/self describes the token
			// itself (personal, project and group access tokens). gitlab.com
			// only: a self-managed instance's token is rejected there too.
			RuleIDs:  []string{"gitlab-pat", "gitlab-pat-routable"},
			Provider: "GitLab",
			Host:     "gitlab.com",
			Docs:     "https://docs.gitlab.com/api/personal_access_tokens/#get-details-on-a-personal-access-token",
			Request:  withHeader("/api/v4/personal_access_tokens/self", "PRIVATE-TOKEN", ""),
			Judge:    judgeGitLab,
		},
		{
			// GET /-/whoami names the token's user.
			RuleIDs:  []string{"npm-access-token"},
			Provider: "npm",
			Host:     "registry.npmjs.org",
			Docs:     "https://github.com/npm/registry/blob/main/docs/user/authentication.md",
			Request:  bearerGET("/-/whoami"),
			Judge:    judgeJSON("username", http.StatusUnauthorized),
		},
		{
			// PyPI has no read endpoint for tokens: POST /legacy/ with an
			// upload that names no project and carries no file, which the
			// server refuses after authenticating. Nothing can be uploaded.
			RuleIDs:  []string{"pypi-upload-token"},
			Provider: "PyPI",
			Host:     "upload.pypi.org",
			Docs:     "https://docs.pypi.org/api/upload/",
			Request:  pypiRequest,
			Judge:    judgePyPI,
		},
		{
			// GET /me returns the key's user.
			RuleIDs:  []string{"postman-api-key"},
			Provider: "Postman",
			Host:     "api.getpostman.com",
			Docs:     "https://learning.postman.com/docs/developer/postman-api/authentication/",
			Request:  withHeader("/me", "X-API-Key", ""),
			Judge:    judgeJSON("user", http.StatusUnauthorized),
		},
		{
			// POST /graphql with the query { viewer { id } }: a query, never
			// a mutation.
			RuleIDs:  []string{"linear-api-key", "linear-oauth-token"},
			Provider: "Linear",
			Host:     "api.linear.app",
			Docs:     "https://linear.app/developers/graphql#authentication",
			Request:  linearRequest,
			Judge:    judgeLinear,
		},
		{
			// GET /v1/users/me returns the integration's bot user.
			RuleIDs:  []string{"notion-api-token", "notion-integration-token"},
			Provider: "Notion",
			Host:     "api.notion.com",
			Docs:     "https://developers.notion.com/reference/get-self",
			Request:  notionRequest,
			Judge:    judgeJSON("object", http.StatusUnauthorized),
		},
		{
			// GET /v3/me describes the token itself.
			RuleIDs:  []string{"doppler-cli-token", "doppler-personal-token", "doppler-service-token", "doppler-service-account-token"},
			Provider: "Doppler",
			Host:     "api.doppler.com",
			Docs:     "https://docs.doppler.com/reference/auth-me",
			Request:  bearerGET("/v3/me"),
			Judge:    judgeJSON("workplace", http.StatusUnauthorized),
		},
		{
			// GET /api/0/organizations/ lists the organizations the token may
			// read; an organization token without org:read is answered 403.
			RuleIDs:  []string{"sentry-user-token", "sentry-org-token", "sentry-legacy-auth-token"},
			Provider: "Sentry",
			Host:     "sentry.io",
			Docs:     "https://docs.sentry.io/api/organizations/list-your-organizations/",
			Request:  bearerGET("/api/0/organizations/?per_page=1"),
			Judge:    forbiddenIsLive(judgeJSONArray),
		},
		{
			// GET /api/1.0/users/me returns the token's user.
			RuleIDs:  []string{"asana-pat"},
			Provider: "Asana",
			Host:     "app.asana.com",
			Docs:     "https://developers.asana.com/reference/getuser",
			Request:  bearerGET("/api/1.0/users/me"),
			Judge:    judgeJSON("data", http.StatusUnauthorized),
		},
	}
}

// judgeGitLab: 200 describes the token (revoked or inactive is not live);
// 401 rejects it; 403 insufficient_scope authenticated it.
func judgeGitLab(status int, body []byte) (Status, string) {
	if status == http.StatusOK {
		var t struct {
			Active  *bool `json:"active"`
			Revoked bool  `json:"revoked"`
		}
		if json.Unmarshal(body, &t) != nil || t.Active == nil {
			return Unknown, reasonUnexpected
		}
		if !*t.Active || t.Revoked {
			return NotLive, "token known to gitlab.com but revoked or inactive"
		}
		return Live, reasonAccepted
	}
	if status == http.StatusForbidden && bytes.Contains(body, []byte("insufficient_scope")) {
		return Live, reasonForbidden
	}
	if status == http.StatusUnauthorized {
		return NotLive, "rejected by gitlab.com (a self-managed instance's token is not checked)"
	}
	return judgeJSON("", http.StatusUnauthorized)(status, body)
}

// pypiRequest builds an upload that cannot succeed: no project name, no
// version, no file.
func pypiRequest(in Input) (*http.Request, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, kv := range [][2]string{{":action", "file_upload"}, {"protocol_version", "1"}} {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	req, err := newRequest(http.MethodPost, in.Base+"/legacy/", b.Bytes())
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.SetBasicAuth("__token__", in.Secret)
	return req, nil
}

// judgePyPI: 403 "Invalid or non-existent authentication information" is a
// rejected token; 400 is the empty upload refused after authentication.
func judgePyPI(status int, body []byte) (Status, string) {
	switch {
	case status == http.StatusForbidden && bytes.Contains(bytes.ToLower(body), []byte("authentication")):
		return NotLive, reasonRejected
	case status == http.StatusBadRequest && !bytes.Contains(bytes.ToLower(body), []byte("authentication")):
		return Live, "authenticated (the deliberately empty upload was refused)"
	default:
		return Unknown, reasonUnexpected
	}
}

func linearRequest(in Input) (*http.Request, error) {
	req, err := newRequest(http.MethodPost, in.Base+"/graphql", []byte(`{"query":"{ viewer { id } }"}`))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	auth := in.Secret // personal API keys go bare
	if strings.HasPrefix(in.Secret, "lin_oauth_") {
		auth = "Bearer " + in.Secret
	}
	req.Header.Set("Authorization", auth)
	return req, nil
}

// judgeLinear: data.viewer.id is live; an AUTHENTICATION_ERROR (sent with
// 400 or 401) is not.
func judgeLinear(status int, body []byte) (Status, string) {
	var r struct {
		Data struct {
			Viewer struct {
				ID string `json:"id"`
			} `json:"viewer"`
		} `json:"data"`
	}
	switch {
	case status == http.StatusOK && json.Unmarshal(body, &r) == nil && r.Data.Viewer.ID != "":
		return Live, reasonAccepted
	case status == http.StatusUnauthorized,
		(status == http.StatusBadRequest || status == http.StatusOK) && bytes.Contains(body, []byte("AUTHENTICATION_ERROR")):
		return NotLive, reasonRejected
	default:
		return Unknown, reasonUnexpected
	}
}

func notionRequest(in Input) (*http.Request, error) {
	req, err := bearerGET("/v1/users/me")(in)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Notion-Version", "2022-06-28")
	return req, nil
}

// judgeJSONArray: a 200 JSON array is live, 401 is not.
func judgeJSONArray(status int, body []byte) (Status, string) {
	var a []json.RawMessage
	switch {
	case status == http.StatusOK && json.Unmarshal(body, &a) == nil:
		return Live, reasonAccepted
	case status == http.StatusUnauthorized:
		return NotLive, reasonRejected
	default:
		return Unknown, reasonUnexpected
	}
}
