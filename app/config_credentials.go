package app

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/pushguard/pushguard/setup"
)

// credentials fills the App's ID, key and (for serve) webhook secret: from
// the environment when any credential variable is set, else from the
// credentials file. With neither, serve gets Setup and runs the setup page;
// the worker gets the environment's "is required" problems.
func (r *envReader) credentials(c *Config, needWebhook bool) {
	if !credentialVarsSet(r.getenv) {
		creds, err := setup.ReadCredentials(c.CredentialsFile)
		switch {
		case err == nil:
			r.check(creds.APIURL == "" || creds.APIURL == c.APIURL,
				"%s holds an App of %s, but GITHUB_API_URL is %s", c.CredentialsFile, creds.APIURL, c.APIURL)
			c.AppID, c.PrivateKey = creds.AppID, []byte(creds.PrivateKey)
			if needWebhook {
				c.WebhookSecret = []byte(creds.WebhookSecret)
			}
			return
		case errors.Is(err, fs.ErrNotExist) && needWebhook:
			c.Setup = true
			return
		case !errors.Is(err, fs.ErrNotExist):
			r.problem("PUSHGUARD_CREDENTIALS_FILE: %v", err)
			return
		}
	}
	c.AppID = int64(r.int("GITHUB_APP_ID", 0, 1, 1<<62))
	c.PrivateKey = r.secret("GITHUB_PRIVATE_KEY", true)
	if needWebhook {
		c.WebhookSecret = r.secret("GITHUB_WEBHOOK_SECRET", true)
	}
}

// credentialVarsSet reports whether any variable that configures the App's
// credentials is set.
func credentialVarsSet(getenv func(string) string) bool {
	for _, name := range []string{"GITHUB_APP_ID", "GITHUB_PRIVATE_KEY", "GITHUB_PRIVATE_KEY_FILE",
		"GITHUB_WEBHOOK_SECRET", "GITHUB_WEBHOOK_SECRET_FILE"} {
		if strings.TrimSpace(getenv(name)) != "" {
			return true
		}
	}
	return false
}
