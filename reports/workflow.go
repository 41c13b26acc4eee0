// Package reports is the pure logic of partner reports: the review workflow
// (which state an action leads to, and who may take it) and the validation of
// a report's content, with errors named by JSON pointer. It touches no
// database: what it must check against published data (capability codes,
// countries, existing sources) it is given as lookups.
package reports

import "errors"

// Status is where a report is in its review.
type Status string

// The statuses of a report.
const (
	Draft            Status = "draft"
	Submitted        Status = "submitted"
	ChangesRequested Status = "changes_requested"
	Accepted         Status = "accepted"
	Rejected         Status = "rejected"
)

// Statuses lists every status, in workflow order.
var Statuses = []Status{Draft, Submitted, ChangesRequested, Accepted, Rejected}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// Editable reports whether a partner may change the report's content.
func (s Status) Editable() bool { return s == Draft || s == ChangesRequested }

// Action is a transition a caller asks for.
type Action string

// The actions, as they appear in URLs (/reports/{id}/{action}).
const (
	Submit         Action = "submit"
	Withdraw       Action = "withdraw"
	RequestChanges Action = "request-changes"
	Accept         Action = "accept"
	Reject         Action = "reject"
)

// Actions lists every action.
var Actions = []Action{Submit, Withdraw, RequestChanges, Accept, Reject}

// Role is the caller's role (the same strings as the api's roles).
type Role string

// The roles.
const (
	Admin    Role = "admin"
	Reviewer Role = "reviewer"
	Partner  Role = "partner"
)

// Roles lists every role.
var Roles = []Role{Admin, Reviewer, Partner}

// Errors of Next.
var (
	// ErrForbidden: this caller may never take this action on this report.
	ErrForbidden = errors.New("reports: not allowed for this caller")
	// ErrIllegal: the action does not apply to the report's current status.
	ErrIllegal = errors.New("reports: illegal transition")
)

// edges says, per action, which status it leads to from each status it applies to.
var edges = map[Action]map[Status]Status{
	Submit:         {Draft: Submitted, ChangesRequested: Submitted},
	Withdraw:       {Submitted: Draft},
	RequestChanges: {Submitted: ChangesRequested},
	Accept:         {Submitted: Accepted},
	Reject:         {Submitted: Rejected},
}

// Deciding reports whether a is a reviewer's decision (as opposed to the
// author's own step).
func (a Action) Deciding() bool { return a == RequestChanges || a == Accept || a == Reject }

// Known reports whether a is an action.
func (a Action) Known() bool { _, ok := edges[a]; return ok }

// MayTake says whether role, acting for its own organisation (ownOrg: the
// report belongs to the caller's organisation), may take action at all. The
// author's organisation's partners submit and withdraw; reviewers of another
// organisation and admins decide; nobody decides on their own
// organisation's report.
func MayTake(a Action, role Role, ownOrg bool) bool {
	switch {
	case a == Submit || a == Withdraw:
		return role == Partner && ownOrg
	case a.Deciding():
		return (role == Reviewer || role == Admin) && !ownOrg
	}
	return false
}

// Next returns the status action leads to from status for the caller, or
// ErrForbidden when the caller may not take it, or ErrIllegal when it does
// not apply now. Permission is checked first, so a caller learns nothing of
// the state of a report it could never act on.
func Next(from Status, a Action, role Role, ownOrg bool) (Status, error) {
	if !MayTake(a, role, ownOrg) {
		return "", ErrForbidden
	}
	to, ok := edges[a][from]
	if !ok {
		return "", ErrIllegal
	}
	return to, nil
}

// MayEdit says whether the caller may change the content of a report in
// status s (PUT, CSV upload): a partner of the owning organisation, while the
// report is a draft or has changes requested.
func MayEdit(role Role, ownOrg bool) bool { return role == Partner && ownOrg }

// MayRead says whether the caller may read a report in status s: its own
// organisation always; reviewers and admins any report that is not a draft
// (admins drafts too).
func MayRead(s Status, role Role, ownOrg bool) bool {
	switch {
	case ownOrg || role == Admin:
		return true
	case role == Reviewer:
		return s != Draft
	}
	return false
}
