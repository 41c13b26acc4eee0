package reports

import (
	"errors"
	"testing"
)

// TestNextEveryPair covers every (status, action, role, own organisation)
// combination. The expected outcomes are written out from the issue's
// workflow, not derived from the code under test.
func TestNextEveryPair(t *testing.T) {
	t.Parallel()
	// legal[action][from] = to, straight from the issue:
	// draft → submitted → changes_requested ↔ submitted → accepted | rejected; withdraw submitted → draft.
	legal := map[Action]map[Status]Status{
		Submit:         {Draft: Submitted, ChangesRequested: Submitted},
		Withdraw:       {Submitted: Draft},
		RequestChanges: {Submitted: ChangesRequested},
		Accept:         {Submitted: Accepted},
		Reject:         {Submitted: Rejected},
	}
	// allowed[action] lists who may take it: role and whether the report is their organisation's.
	type who struct {
		role Role
		own  bool
	}
	allowed := map[Action][]who{
		Submit:         {{Partner, true}},
		Withdraw:       {{Partner, true}},
		RequestChanges: {{Reviewer, false}, {Admin, false}},
		Accept:         {{Reviewer, false}, {Admin, false}},
		Reject:         {{Reviewer, false}, {Admin, false}},
	}
	cells := 0
	for _, from := range Statuses {
		for _, a := range Actions {
			for _, role := range Roles {
				for _, own := range []bool{true, false} {
					cells++
					may := false
					for _, w := range allowed[a] {
						if w == (who{role, own}) {
							may = true
						}
					}
					to, err := Next(from, a, role, own)
					want, ok := legal[a][from]
					switch {
					case !may:
						if !errors.Is(err, ErrForbidden) {
							t.Errorf("%s %s by %s (own=%v) = %q, %v; want forbidden", from, a, role, own, to, err)
						}
					case !ok:
						if !errors.Is(err, ErrIllegal) {
							t.Errorf("%s %s by %s (own=%v) = %q, %v; want illegal", from, a, role, own, to, err)
						}
					default:
						if err != nil || to != want {
							t.Errorf("%s %s by %s (own=%v) = %q, %v; want %q", from, a, role, own, to, err, want)
						}
					}
				}
			}
		}
	}
	if cells != 5*5*3*2 {
		t.Fatalf("covered %d cells", cells)
	}
}

func TestTerminalStatusesHaveNoWayOut(t *testing.T) {
	t.Parallel()
	for _, s := range []Status{Accepted, Rejected} {
		for _, a := range Actions {
			for _, role := range Roles {
				for _, own := range []bool{true, false} {
					if _, err := Next(s, a, role, own); err == nil {
						t.Errorf("%s → %s by %s own=%v succeeded", s, a, role, own)
					}
				}
			}
		}
	}
}

func TestMayRead(t *testing.T) {
	t.Parallel()
	cases := []struct {
		s    Status
		role Role
		own  bool
		want bool
	}{
		{Draft, Partner, true, true},
		{Draft, Partner, false, false},
		{Submitted, Partner, false, false},
		{Draft, Reviewer, false, false},
		{Submitted, Reviewer, false, true},
		{Draft, Reviewer, true, true},
		{Draft, Admin, false, true},
		{Accepted, Admin, false, true},
	}
	for _, c := range cases {
		if got := MayRead(c.s, c.role, c.own); got != c.want {
			t.Errorf("MayRead(%s, %s, %v) = %v", c.s, c.role, c.own, got)
		}
	}
}
