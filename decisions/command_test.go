package decisions_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pushguard/pushguard/decisions"
)

// cmd is a wanted Command; Err is the kind the parse error must unwrap to.
type cmd = decisions.Command

func TestParse(t *testing.T) {
	t.Parallel()
	const fp = "3fa2b1c9"
	tests := []struct {
		name string
		body string
		want []cmd
	}{
		{"dismiss", "/pushguard dismiss 3fa2b1c9 revoked rotated yesterday",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "revoked", Note: "rotated yesterday", Line: 1}}},
		{"dismiss without note", "/pushguard dismiss 3fa2b1c9 test-data",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "test-data", Line: 1}}},
		{"dismiss all", "/pushguard dismiss ALL accepted-risk",
			[]cmd{{Verb: "dismiss", Target: "all", Reason: "accepted-risk", Line: 1}}},
		{"upper case", "/PUSHGUARD Dismiss 3FA2B1C9 False-Positive It's A Hash",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "false-positive", Note: "It's A Hash", Line: 1}}},
		{"spaces and tabs", "   /pushguard \t dismiss  3fa2b1c9\t\ttest-data   keep   my  spacing  ",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "test-data", Note: "keep   my  spacing", Line: 1}}},
		{"reason in two words", "/pushguard dismiss 3fa2b1c9 false positive it is a UUID",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "false-positive", Note: "it is a UUID", Line: 1}}},
		{"reason with underscore", "/pushguard dismiss 3fa2b1c9 accepted_risk",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "accepted-risk", Line: 1}}},
		{"prefix in backticks", "/pushguard dismiss `3fa2b1c9` revoked",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "revoked", Line: 1}}},
		{"whole fingerprint", "/pushguard undo " + strings.Repeat("ab", 32),
			[]cmd{{Verb: "undo", Target: strings.Repeat("ab", 32), Line: 1}}},
		{"undo ignores trailing words", "/pushguard undo 3fa2b1c9 oops",
			[]cmd{{Verb: "undo", Target: fp, Line: 1}}},
		{"rescan and help", "/pushguard rescan please\n/pushguard HELP",
			[]cmd{{Verb: "rescan", Line: 1}, {Verb: "help", Line: 2}}},
		{"several among prose", "Thanks for the report!\n\n/pushguard dismiss 3fa2b1c9 revoked\nand\n  /pushguard undo abcdef\n\nCheers",
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "revoked", Line: 3}, {Verb: "undo", Target: "abcdef", Line: 5}}},
		{"CRLF", "/pushguard rescan\r\n/pushguard dismiss 3fa2b1c9 revoked note\r\n",
			[]cmd{{Verb: "rescan", Line: 1}, {Verb: "dismiss", Target: fp, Reason: "revoked", Note: "note", Line: 2}}},
		{"bare CR", "/pushguard rescan\r/pushguard help",
			[]cmd{{Verb: "rescan", Line: 1}, {Verb: "help", Line: 2}}},
		{"not at line start", "please /pushguard rescan\n- /pushguard help\n`/pushguard help`", nil},
		{"not our word", "/pushguardhelp\n/pushguard-bot help\n@pushguard help\n/push guard help", nil},
		{"quoted reply", "> /pushguard dismiss 3fa2b1c9 accepted-risk\n/pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 2}}},
		{"nested and indented quote", "> > /pushguard help\n   > /pushguard help\n>/pushguard help", nil},
		{"fenced code", "```\n/pushguard dismiss all revoked\n```\n/pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 4}}},
		{"fence with info string", "```shell title=x\n/pushguard help\n```", nil},
		{"tilde fence", "~~~ text\n/pushguard help\n```\n/pushguard help\n~~~\n/pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 6}}},
		{"longer fence needs longer close", "````\n```\n/pushguard help\n````\n/pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 5}}},
		{"indented fence", "   ```\n/pushguard help\n   ```\n/pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 4}}},
		{"unclosed fence hides the rest", "```\n/pushguard help\n\n/pushguard rescan", nil},
		{"fence with text after close is no close", "```\n``` not a close\n/pushguard help", nil},
		{"inline triple backticks are no fence", "```/pushguard help```\n/pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 2}}},
		{"indented code at start", "    /pushguard dismiss all revoked", nil},
		{"indented code after blank line", "Type this:\n\n    /pushguard dismiss all revoked\n\n\t/pushguard help\n/pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 6}}},
		{"indented line continues a paragraph", "Done:\n      /pushguard rescan",
			[]cmd{{Verb: "rescan", Line: 2}}},
		{"indented line after a quote", "> quoted\n    /pushguard help", nil},
		{"empty", "", nil},
		{"revoke all", "/pushguard revoke ALL", []cmd{{Verb: "revoke", Target: "all", Line: 1}}},
		{"revoke prefix, words after ignored", "/pushguard Revoke `3FA2B1C9` now please", []cmd{{Verb: "revoke", Target: fp, Line: 1}}},
		{"resolve rotated", "/pushguard resolve 3fa2b1c9 Rotated in the console", []cmd{{Verb: "resolve", Target: fp, Resolution: "rotated", Line: 1}}},
		{"resolve all revoked", "/pushguard resolve all revoked", []cmd{{Verb: "resolve", Target: "all", Resolution: "revoked", Line: 1}}},
		{"revoke without target", "/pushguard revoke", []cmd{{Verb: "revoke", Line: 1, Err: decisions.ErrMissingTarget}}},
		{"revoke short prefix", "/pushguard revoke 3fa2", []cmd{{Verb: "revoke", Target: "3fa2", Line: 1, Err: decisions.ErrInvalidPrefix}}},
		{"resolve without resolution", "/pushguard resolve all", []cmd{{Verb: "resolve", Target: "all", Line: 1, Err: decisions.ErrMissingResolution}}},
		{"resolve unknown resolution", "/pushguard resolve 3fa2b1c9 fixed",
			[]cmd{{Verb: "resolve", Target: fp, Resolution: "fixed", Line: 1, Err: decisions.ErrUnknownResolution}}},

		{"missing verb", "/pushguard", []cmd{{Line: 1, Err: decisions.ErrMissingVerb}}},
		{"unknown verb", "/pushguard frobnicate", []cmd{{Line: 1, Err: decisions.ErrUnknownVerb}}},
		{"dismiss without target", "/pushguard dismiss", []cmd{{Verb: "dismiss", Line: 1, Err: decisions.ErrMissingTarget}}},
		{"dismiss without reason", "/pushguard dismiss 3fa2b1c9",
			[]cmd{{Verb: "dismiss", Target: fp, Line: 1, Err: decisions.ErrMissingReason}}},
		{"unknown reason", "/pushguard dismiss 3fa2b1c9 because",
			[]cmd{{Verb: "dismiss", Target: fp, Line: 1, Err: decisions.ErrUnknownReason}}},
		{"short prefix", "/pushguard dismiss 3fa2b revoked",
			[]cmd{{Verb: "dismiss", Target: "3fa2b", Line: 1, Err: decisions.ErrInvalidPrefix}}},
		{"non-hex prefix", "/pushguard dismiss 3fa2g1c9 revoked",
			[]cmd{{Verb: "dismiss", Target: "3fa2g1c9", Line: 1, Err: decisions.ErrInvalidPrefix}}},
		{"over-long prefix", "/pushguard undo " + strings.Repeat("a", 65),
			[]cmd{{Verb: "undo", Target: strings.Repeat("a", 65), Line: 1, Err: decisions.ErrInvalidPrefix}}},
		{"undo all", "/pushguard undo all", []cmd{{Verb: "undo", Target: "all", Line: 1, Err: decisions.ErrInvalidPrefix}}},
		{"undo without target", "/pushguard undo", []cmd{{Verb: "undo", Line: 1, Err: decisions.ErrMissingTarget}}},
		{"note too long", "/pushguard dismiss 3fa2b1c9 revoked " + strings.Repeat("é", decisions.MaxNoteLen+1),
			[]cmd{{Verb: "dismiss", Target: fp, Reason: "revoked", Note: strings.Repeat("é", decisions.MaxNoteLen+1), Line: 1, Err: decisions.ErrNoteTooLong}}},
		{"malformed among good", "/pushguard rescan\n/pushguard dismis 3fa2b1c9 revoked\n/pushguard help",
			[]cmd{{Verb: "rescan", Line: 1}, {Line: 2, Err: decisions.ErrUnknownVerb}, {Verb: "help", Line: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decisions.Parse(tt.body)
			if len(got) != len(tt.want) {
				t.Fatalf("Parse(%q) = %d commands %+v, want %d", tt.body, len(got), got, len(tt.want))
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.Verb != w.Verb || g.Target != w.Target || g.Reason != w.Reason || g.Note != w.Note || g.Line != w.Line || g.Resolution != w.Resolution {
					t.Errorf("command %d = %+v, want %+v", i, g, w)
				}
				if !errors.Is(g.Err, w.Err) || (g.Err == nil) != (w.Err == nil) {
					t.Errorf("command %d: Err = %v, want kind %v", i, g.Err, w.Err)
				}
				if err := checkCommand(g); err != nil {
					t.Errorf("command %d: %v", i, err)
				}
			}
		})
	}
}

func TestParseErrorMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want []string // substrings of the message
	}{
		{"/pushguard", []string{"`dismiss`", "`help`"}},
		{"/pushguard dismis 3fa2b1c9 revoked", []string{"did you mean `dismiss`?"}},
		{"/pushguard frobnicate", []string{"Unknown command: use `dismiss`, `undo`, `revoke`, `resolve`, `rescan` or `help`."}},
		{"/pushguard revok all", []string{"did you mean `revoke`?"}},
		{"/pushguard revoke", []string{"GitHub token", "or `all`"}},
		{"/pushguard resolve 3fa2b1c9", []string{"`revoked` or `rotated`"}},
		{"/pushguard resolve 3fa2b1c9 rotatd", []string{"did you mean `rotated`?"}},
		{"/pushguard dismiss", []string{"or `all`", "at least 6 characters"}},
		{"/pushguard dismiss abc revoked", []string{"6 to 64 hexadecimal characters"}},
		{"/pushguard dismiss 3fa2b1c9", []string{"needs a reason", "`test-data`"}},
		{"/pushguard dismiss 3fa2b1c9 revokd", []string{"did you mean `revoked`?"}},
		{"/pushguard dismiss 3fa2b1c9 false", []string{"Unknown reason: use"}},
		{"/pushguard undo all", []string{"one fingerprint at a time"}},
		{"/pushguard dismiss 3fa2b1c9 revoked " + strings.Repeat("x", 501), []string{"at most 500 characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.body[:min(len(tt.body), 40)], func(t *testing.T) {
			got := decisions.Parse(tt.body)
			if len(got) != 1 || got[0].Err == nil {
				t.Fatalf("Parse(%q) = %+v, want one malformed command", tt.body, got)
			}
			var pe *decisions.ParseError
			if !errors.As(got[0].Err, &pe) {
				t.Fatalf("Err = %T, want *ParseError", got[0].Err)
			}
			for _, w := range tt.want {
				if !strings.Contains(pe.Error(), w) {
					t.Errorf("message %q lacks %q", pe.Error(), w)
				}
			}
		})
	}
}

// A user may paste a secret anywhere in a command; the reply must not repeat it.
func TestParseErrorsNeverQuoteInput(t *testing.T) {
	t.Parallel()
	const secret = "ghp_R4nd0mS3cr3tV4lu3Th4tL00ksR3al0000"
	bodies := []string{
		"/pushguard " + secret,
		"/pushguard dismiss " + secret + " revoked",
		"/pushguard dismiss 3fa2b1c9 " + secret,
		"/pushguard undo " + secret,
		"/pushguard revoke " + secret,
		"/pushguard resolve " + secret + " revoked",
		"/pushguard resolve 3fa2b1c9 " + secret,
		"/pushguard dismiss 3fa2b1c9 revoked " + secret + strings.Repeat(" x", 300),
	}
	for _, body := range bodies {
		for _, c := range decisions.Parse(body) {
			if c.Err == nil {
				t.Errorf("Parse(%q): no error", body)
			} else if strings.Contains(strings.ToLower(c.Err.Error()), strings.ToLower(secret[4:12])) {
				t.Errorf("Parse(%q): message quotes the input: %q", body, c.Err)
			}
		}
	}
}

func TestParseCapsCommands(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("/pushguard rescan\n", decisions.MaxCommands+5)
	got := decisions.Parse(body)
	if len(got) != decisions.MaxCommands+1 {
		t.Fatalf("got %d commands, want %d", len(got), decisions.MaxCommands+1)
	}
	last := got[len(got)-1]
	if !errors.Is(last.Err, decisions.ErrTooManyCommands) || last.Line != decisions.MaxCommands+1 {
		t.Errorf("last = %+v, want ErrTooManyCommands on line %d", last, decisions.MaxCommands+1)
	}
}
