package readmodel

import (
	"errors"
	"fmt"
)

// ErrUnavailable means the answer needs the database and the database cannot
// be reached (or a read replica has not caught up in time). Callers answer
// 503 and the client retries.
var ErrUnavailable = errors.New("readmodel: the database is unavailable")

// ErrNotFound means the thing asked for does not exist in the published data.
var ErrNotFound = errors.New("readmodel: not found")

// InvalidError refuses a question the data cannot answer as asked: a
// reference with nothing to resemble, weights that weigh nothing, a recorded
// date before anything was recorded. Field names the parameter at fault.
type InvalidError struct {
	Field  string
	Reason string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Reason) }

func invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Reason: fmt.Sprintf(format, args...)}
}
