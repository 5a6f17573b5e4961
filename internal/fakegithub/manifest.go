package fakegithub

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The GitHub App manifest flow: a browser posts a manifest to the web page
// /settings/apps/new (or /organizations/{org}/settings/apps/new) with a
// state in the query; GitHub creates the App and redirects to the
// manifest's redirect_url with ?code=…&state=…; the App's server trades the
// code for the App's credentials with POST /app-manifests/{code}/conversions.
// The fake's stand-in page creates the App at once (GitHub first asks the
// user to confirm), and the conversion returns the fake's own App: its ID,
// private key and webhook secret.

// Manifest is a GitHub App manifest as GitHub's web flow accepts it.
// Unknown fields are violations.
type Manifest struct {
	Name           string `json:"name,omitempty"`
	URL            string `json:"url"`
	HookAttributes struct {
		URL    string `json:"url"`
		Active *bool  `json:"active,omitempty"`
	} `json:"hook_attributes"`
	RedirectURL           string            `json:"redirect_url"`
	CallbackURLs          []string          `json:"callback_urls,omitempty"`
	SetupURL              string            `json:"setup_url,omitempty"`
	Description           string            `json:"description,omitempty"`
	Public                bool              `json:"public"`
	DefaultEvents         []string          `json:"default_events,omitempty"`
	DefaultPermissions    map[string]string `json:"default_permissions,omitempty"`
	RequestOAuthOnInstall bool              `json:"request_oauth_on_install,omitempty"`
	SetupOnUpdate         bool              `json:"setup_on_update,omitempty"`
}

// ManifestFlow is one App created from a manifest.
type ManifestFlow struct {
	Org       string // "" when created for the user's own account
	State     string // the state the browser passed, "" if none
	Manifest  Manifest
	Code      string
	Converted bool // the code was traded for credentials
}

// WebURL is the fake's web root with a trailing slash, where github.com (or
// a GitHub Enterprise Server's https://HOST/) serves its pages.
func (s *Server) WebURL() string { return s.http.URL + "/" }

// WebhookSecret is the webhook secret of the fake's App, as the manifest
// conversion hands it out.
func (s *Server) WebhookSecret() string { return s.webhookSecret }

// NewManifestCode registers an App created from m for the user's account,
// as if a browser had gone through the web flow, and returns its code.
func (s *Server) NewManifestCode(m Manifest) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addManifestFlow(&ManifestFlow{Manifest: m})
}

// ManifestFlows returns every App created from a manifest, oldest first.
func (s *Server) ManifestFlows() []ManifestFlow {
	s.mu.Lock()
	defer s.mu.Unlock()
	flows := make([]ManifestFlow, len(s.state.manifestFlows))
	for i, f := range s.state.manifestFlows {
		flows[i] = *f
	}
	return flows
}

// addManifestFlow records f under a new code. s.mu must be held.
func (s *Server) addManifestFlow(f *ManifestFlow) string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	f.Code = hex.EncodeToString(b)
	s.state.manifestFlows = append(s.state.manifestFlows, f)
	s.state.manifestCodes[f.Code] = f
	return f.Code
}

// manifestPageOrg recognises the web paths of the manifest flow and returns
// the organisation ("" for the user's account).
func manifestPageOrg(path string) (org string, ok bool) {
	if path == "/settings/apps/new" {
		return "", true
	}
	rest, ok := strings.CutPrefix(path, "/organizations/")
	org, tail, _ := strings.Cut(rest, "/")
	return org, ok && org != "" && tail == "settings/apps/new"
}

// newAppPage stands in for GitHub's "create a GitHub App from a manifest"
// page: it takes the posted manifest form, creates the App and redirects to
// the manifest's redirect_url with the code and the state.
func (s *Server) newAppPage(w http.ResponseWriter, r *http.Request, org string) {
	if r.Method != http.MethodPost {
		s.violate("%s %s: the manifest flow posts the manifest form", r.Method, r.URL.Path)
		http.Error(w, "POST the manifest form", http.StatusMethodNotAllowed)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	m, err := parseManifest(r.PostFormValue("manifest"))
	if err != nil {
		s.violate("POST %s: %v", r.URL.Path, err)
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	state := r.URL.Query().Get("state")
	s.mu.Lock()
	code := s.addManifestFlow(&ManifestFlow{Org: org, State: state, Manifest: m})
	s.mu.Unlock()
	back, _ := url.Parse(m.RedirectURL)
	q := back.Query()
	q.Set("code", code)
	if state != "" {
		q.Set("state", state)
	}
	back.RawQuery = q.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// parseManifest decodes and checks a posted manifest the way GitHub's page
// would refuse it.
func parseManifest(raw string) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("the manifest form field is not a valid manifest: %v", err)
	}
	var problems []string
	for field, v := range map[string]string{"url": m.URL, "redirect_url": m.RedirectURL, "hook_attributes.url": m.HookAttributes.URL} {
		if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			problems = append(problems, fmt.Sprintf("%s must be an absolute http(s) URL, not %q", field, v))
		}
	}
	for name, level := range m.DefaultPermissions {
		if level != "read" && level != "write" && level != "admin" {
			problems = append(problems, fmt.Sprintf("default_permissions.%s must be read, write or admin, not %q", name, level))
		}
	}
	if len(problems) > 0 {
		return m, fmt.Errorf("manifest: %s", strings.Join(problems, "; "))
	}
	return m, nil
}

// createFromManifest serves apps/create-from-manifest: a code is good once,
// and returns the fake's App with its credentials.
func (s *Server) createFromManifest(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.state.manifestCodes[c.params["code"]]
	if f == nil || f.Converted {
		notFound(c.w)
		return
	}
	f.Converted = true
	app := s.appJSON()
	if f.Manifest.Name != "" {
		app["name"] = f.Manifest.Name
	}
	if f.Manifest.DefaultPermissions != nil {
		app["permissions"] = f.Manifest.DefaultPermissions
	}
	if f.Manifest.DefaultEvents != nil {
		app["events"] = f.Manifest.DefaultEvents
	}
	app["external_url"], app["description"] = f.Manifest.URL, f.Manifest.Description
	app["client_id"], app["client_secret"] = "Iv1.fake"+s.opts.AppSlug, "fake-client-secret"
	app["webhook_secret"], app["pem"] = s.webhookSecret, string(s.keyPEM)
	writeJSON(c.w, http.StatusCreated, app)
}
