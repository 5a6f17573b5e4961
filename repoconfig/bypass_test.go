package repoconfig

import "testing"

func TestMayBypass(t *testing.T) {
	t.Parallel()
	restricted := &Config{bypass: bypassPolicy{set: true, restricted: true, allowed: []string{"octo-org/security", "octocat"}}}
	closed := &Config{bypass: bypassPolicy{set: true, restricted: true}}
	tests := []struct {
		name  string
		c     *Config
		login string
		teams []string
		want  bool
	}{
		{"nil config: anyone", nil, "someone", nil, true},
		{"unrestricted: anyone", &Config{}, "someone", nil, true},
		{"listed user", restricted, "octocat", nil, true},
		{"listed user, other case", restricted, "OctoCat", nil, true},
		{"listed user as mention", restricted, "@octocat", nil, true},
		{"member of listed team", restricted, "hubot", []string{"octo-org/devs", "octo-org/security"}, true},
		{"member of listed team, mention form", restricted, "hubot", []string{"@Octo-Org/Security"}, true},
		{"unlisted user", restricted, "hubot", []string{"octo-org/devs"}, false},
		{"team slug is not a login", restricted, "octo-org/security", nil, false},
		{"login is not a team", restricted, "hubot", []string{"octocat"}, false},
		{"same slug, other org", restricted, "hubot", []string{"other-org/security"}, false},
		{"empty login", restricted, "", nil, false},
		{"closed: nobody", closed, "octocat", []string{"octo-org/security"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.MayBypass(tt.login, tt.teams); got != tt.want {
				t.Errorf("MayBypass(%q, %q) = %v, want %v", tt.login, tt.teams, got, tt.want)
			}
		})
	}
}

func TestNormalizeBypassEntry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"octocat", "octocat", true},
		{"@OctoCat", "octocat", true},
		{" @octo-org/security ", "octo-org/security", true},
		{"octo-org/platform_team.v2", "octo-org/platform_team.v2", true},
		{"two words", "", false},
		{"@", "", false},
		{"org/", "", false},
		{"a/b/c", "", false},
		{"-leading", "", false},
	}
	for _, tt := range tests {
		got, ok := normalizeBypassEntry(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("normalizeBypassEntry(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
