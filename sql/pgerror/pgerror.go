// Package pgerror is Eddy's one error type for anything a client may see: a
// PostgreSQL SQLSTATE code with a primary message in PostgreSQL's style
// (lower case, no trailing period, says what to fix), plus optional detail,
// hint and cursor position. Every layer returns these for user mistakes;
// pgwire turns them into ErrorResponse messages. A statement's context that
// ended (statement_timeout, a cancel request) is 57014 however it surfaces;
// any other error is XX000, which is reserved for real bugs.
package pgerror

import (
	"context"
	"errors"
	"fmt"
)

// Code is a SQLSTATE from PostgreSQL's errcodes.txt. The codes and their
// names are generated into codes.go; nothing else spells a code as a string
// (tests/lint_test.go checks).
type Code string

//go:generate go run ./internal/gencodes errcodes.txt codes.go

// Error is an error a client sees as a PostgreSQL ErrorResponse.
type Error struct {
	Code    Code
	Message string
	Detail  string
	Hint    string
	// Where is the context line ("COPY t, line 3").
	Where string
	// Position is the 1-based character offset into the statement text that
	// the error points at, or 0.
	Position int32
	// Severity is ERROR unless set (FATAL for connection-ending errors).
	Severity string
}

func (e *Error) Error() string { return e.Message }

// New builds an error with a formatted primary message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithDetail sets the detail line and returns e.
func (e *Error) WithDetail(format string, args ...any) *Error {
	e.Detail = fmt.Sprintf(format, args...)
	return e
}

// WithWhere sets the context line and returns e.
func (e *Error) WithWhere(where string) *Error {
	e.Where = where
	return e
}

// WithHint sets the hint line and returns e.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// WithPosition sets the cursor position and returns e.
func (e *Error) WithPosition(pos int32) *Error {
	e.Position = pos
	return e
}

// Unsupported is the error for a feature Eddy does not have yet.
func Unsupported(format string, args ...any) *Error {
	return New(FeatureNotSupported, format, args...)
}

// Internal wraps a bug as XX000.
func Internal(format string, args ...any) *Error {
	return New(InternalError, format, args...)
}

// Canceled is the error of a statement stopped because its context ended,
// in PostgreSQL's words: a deadline is statement_timeout's (the only
// deadline a statement has), anything else a cancel request.
func Canceled(err error) *Error {
	if errors.Is(err, context.DeadlineExceeded) {
		return New(QueryCanceled, "canceling statement due to statement timeout")
	}
	return New(QueryCanceled, "canceling statement due to user request")
}

// From returns err as an *Error if it is one (anywhere in its chain), a
// context's end as Canceled, else wraps it as an internal error.
func From(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return Canceled(err)
	}
	return &Error{Code: InternalError, Message: err.Error()}
}

// CodeOf returns err's SQLSTATE, or XX000 for a non-pgerror.
func CodeOf(err error) Code { return From(err).Code }
