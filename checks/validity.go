package checks

import (
	"fmt"
	"slices"
)

// Validity values of Item.Validity: what the key's provider said when
// pushguard asked whether the key works. Empty means not checked.
const (
	ValidityLive    = "live"
	ValidityNotLive = "not_live"
	ValidityUnknown = "unknown"
)

// validityLabel names a finding's validity for people.
func validityLabel(it Item) string {
	switch it.Validity {
	case ValidityLive:
		return "live — revoke now"
	case ValidityNotLive:
		return "not live"
	case ValidityUnknown:
		return "unknown"
	}
	return "not checked"
}

// validityCell is a finding's validity table cell, live in bold.
func validityCell(it Item) string {
	if it.Validity == ValidityLive {
		return "**" + validityLabel(it) + "**"
	}
	return validityLabel(it)
}

// liveFirst orders live keys first, keeping the order otherwise: the keys
// to revoke before anything else lead the list.
func liveFirst(items []Item) []Item {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b Item) int {
		al, bl := a.Validity == ValidityLive, b.Validity == ValidityLive
		switch {
		case al == bl:
			return 0
		case al:
			return -1
		}
		return 1
	})
	return out
}

// Live counts the active findings a validity check found live.
func (r Report) Live() int {
	n := 0
	for _, it := range r.Items {
		if it.Active() && it.Validity == ValidityLive {
			n++
		}
	}
	return n
}

// liveNote is the line under a headline that names the live keys.
func liveNote(r Report) string {
	n := r.Live()
	if !r.ValidityChecked || n == 0 {
		return ""
	}
	if n == 1 {
		return "**1 key is live — revoke now:** its provider accepted it when pushguard checked.\n\n"
	}
	return fmt.Sprintf("**%d keys are live — revoke now:** their providers accepted them when pushguard checked.\n\n", n)
}

// advisoryLabel is the status of a finding that does not fail the check
// because of fail_on.
func advisoryLabel(r Report) string {
	if r.FailOnLive {
		return "🟡 not live (fail_on: live)"
	}
	return "🟡 below fail_on"
}

// advisoryTitle is the annotation title's reason for an advisory finding.
func advisoryTitle(r Report) string {
	if r.FailOnLive {
		return "not found live; this repository's fail_on is live"
	}
	return "below this repository's fail_on"
}

// advisoryText says why the advisory findings do not fail the check.
func advisoryText(r Report, n int) string {
	if r.FailOnLive {
		return fmt.Sprintf("%d possible secret%s not found live, and this repository's `fail_on` is `live`, listed below: check them.\n\n", n, plural(n))
	}
	return fmt.Sprintf("%d possible secret%s below this repository's `fail_on` confidence, listed below: check them.\n\n", n, plural(n))
}
