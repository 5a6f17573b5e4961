package repoconfig

import "testing"

func TestRuleset(t *testing.T) {
	t.Parallel()
	base := builtin(t)
	t.Run("default config returns the built-ins", func(t *testing.T) {
		for _, c := range []*Config{nil, {}, parse(t, "comments: false")} {
			rs, err := c.Ruleset(base)
			if err != nil || rs != base {
				t.Errorf("Ruleset = %p, %v; want the built-in ruleset", rs, err)
			}
		}
	})
	t.Run("disabled out, custom in", func(t *testing.T) {
		c := parse(t,
			"rules:",
			"  disable: [generic-secret, generic-secret-hex]",
			"  custom: [{id: zz9, pattern: 'zz9_[a-z0-9]{24}', keywords: [zz9_]}]",
		)
		rs, err := c.Ruleset(base)
		if err != nil {
			t.Fatal(err)
		}
		if rs.Len() != base.Len()-2+1 {
			t.Errorf("Len = %d, want %d", rs.Len(), base.Len()-1)
		}
		if _, ok := rs.Rule("generic-secret"); ok {
			t.Error("disabled rule still in the ruleset")
		}
		if _, ok := rs.Rule("custom-zz9"); !ok {
			t.Error("custom rule missing")
		}
		if rs.Version() == base.Version() {
			t.Error("version unchanged")
		}
	})
	t.Run("no built-ins", func(t *testing.T) {
		if _, err := (&Config{}).Ruleset(nil); err == nil {
			t.Error("no error")
		}
	})
}
