package decisions_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/pushguard/pushguard/decisions"
)

// checkCommand returns what is wrong with a parsed command: one without Err
// must have a valid verb, and the target and reason that verb needs.
func checkCommand(c decisions.Command) error {
	if c.Line < 1 {
		return fmt.Errorf("line %d", c.Line)
	}
	if c.Err != nil {
		var pe *decisions.ParseError
		if !errors.As(c.Err, &pe) || pe.Kind == nil || pe.Msg == "" {
			return fmt.Errorf("Err %v is not a ParseError with a kind and message", c.Err)
		}
		return nil
	}
	switch c.Verb {
	case decisions.VerbDismiss:
		if c.Target != decisions.TargetAll && !decisions.ValidPrefix(c.Target) {
			return fmt.Errorf("dismiss target %q", c.Target)
		}
		if !c.Reason.Valid() {
			return fmt.Errorf("dismiss reason %q", c.Reason)
		}
	case decisions.VerbUndo:
		if !decisions.ValidPrefix(c.Target) || c.Reason != "" || c.Note != "" {
			return fmt.Errorf("undo %+v", c)
		}
	case decisions.VerbRevoke:
		if c.Target != decisions.TargetAll && !decisions.ValidPrefix(c.Target) || c.Reason != "" || c.Resolution != "" {
			return fmt.Errorf("revoke %+v", c)
		}
	case decisions.VerbResolve:
		if c.Target != decisions.TargetAll && !decisions.ValidPrefix(c.Target) {
			return fmt.Errorf("resolve target %q", c.Target)
		}
		if _, ok := decisions.ParseResolution(string(c.Resolution)); !ok || c.Reason != "" {
			return fmt.Errorf("resolve %+v", c)
		}
	case decisions.VerbRescan, decisions.VerbHelp:
		if c.Target != "" || c.Reason != "" || c.Note != "" {
			return fmt.Errorf("%s with arguments %+v", c.Verb, c)
		}
	default:
		return fmt.Errorf("verb %q without Err", c.Verb)
	}
	return nil
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"/pushguard dismiss 3fa2b1c9 revoked rotated",
		"/PUSHGUARD  DISMISS\tALL false positive x",
		"> /pushguard help\n```\n/pushguard rescan\n```\n    /pushguard undo abcdef\n/pushguard undo abcdef",
		"~~~~\r\n/pushguard help\r\n~~~\r\n\t/pushguard help",
		"/pushguard dismiss `ABCDEF` accepted_risk",
		"/pushguard\n/pushguard x\n/pushguard dismiss\n/pushguard dismiss abcdef",
		"text\n      /pushguard rescan\n```/pushguard help```",
		"/pushguard dismiss abcdef false\u00a0positive",
		"/pushguard revoke all\n/pushguard resolve `ABCDEF` ROTATED\n/pushguard resolve all",
		"/pushguard revoke\n/pushguard resolve abcdef revokd\n> /pushguard revoke all",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		cmds := decisions.Parse(body)
		if len(cmds) > decisions.MaxCommands+1 {
			t.Fatalf("%d commands", len(cmds))
		}
		for i, c := range cmds {
			if err := checkCommand(c); err != nil {
				t.Fatalf("command %d of %q: %v", i, body, err)
			}
			if i > 0 && c.Line <= cmds[i-1].Line {
				t.Fatalf("command %d of %q: line %d after %d", i, body, c.Line, cmds[i-1].Line)
			}
		}
	})
}
