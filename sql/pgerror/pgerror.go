// Package pgerror is Eddy's one error type for anything a client may see: a
// PostgreSQL SQLSTATE code with a primary message in PostgreSQL's style
// (lower case, no trailing period, says what to fix), plus optional detail,
// hint and cursor position. Every layer returns these for user mistakes;
// pgwire turns them into ErrorResponse messages and maps any other error to
// XX000, which is reserved for real bugs.
package pgerror

import (
	"errors"
	"fmt"
)

// Code is a SQLSTATE from PostgreSQL's errcodes.txt.
type Code string

// The SQLSTATEs Eddy raises.
const (
	SuccessfulCompletion         Code = "00000"
	ConnectionException          Code = "08000"
	ProtocolViolation            Code = "08P01"
	FeatureNotSupported          Code = "0A000"
	CardinalityViolation         Code = "21000"
	DataException                Code = "22000"
	StringDataRightTruncation    Code = "22001"
	NumericValueOutOfRange       Code = "22003"
	InvalidDatetimeFormat        Code = "22007"
	DatetimeFieldOverflow        Code = "22008"
	DivisionByZero               Code = "22012"
	InvalidParameterValue        Code = "22023"
	InvalidTextRepresentation    Code = "22P02"
	IntegrityConstraintViolation Code = "23000"
	NotNullViolation             Code = "23502"
	UniqueViolation              Code = "23505"
	InvalidTransactionState      Code = "25000"
	InFailedSQLTransaction       Code = "25P02"
	InvalidSQLStatementName      Code = "26000"
	InvalidCursorName            Code = "34000"
	SyntaxError                  Code = "42601"
	InsufficientPrivilege        Code = "42501"
	GroupingError                Code = "42803"
	DatatypeMismatch             Code = "42804"
	WrongObjectType              Code = "42809"
	UndefinedColumn              Code = "42703"
	UndefinedFunction            Code = "42883"
	UndefinedTable               Code = "42P01"
	UndefinedParameter           Code = "42P02"
	UndefinedObject              Code = "42704"
	DuplicateColumn              Code = "42701"
	DuplicateObject              Code = "42710"
	DuplicateTable               Code = "42P07"
	DuplicateSchema              Code = "42P06"
	AmbiguousColumn              Code = "42702"
	InvalidColumnReference       Code = "42P10"
	InvalidTableDefinition       Code = "42P16"
	DependentObjectsStillExist   Code = "2BP01"
	InvalidSchemaName            Code = "3F000"
	UndefinedSchema              Code = "3F000"
	QueryCanceled                Code = "57014"
	AdminShutdown                Code = "57P01"
	TooManyConnections           Code = "53300"
	ProgramLimitExceeded         Code = "54000"
	InternalError                Code = "XX000"
)

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

// From returns err as an *Error if it is one (anywhere in its chain), else
// wraps it as an internal error.
func From(err error) *Error {
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return &Error{Code: InternalError, Message: err.Error()}
}

// CodeOf returns err's SQLSTATE, or XX000 for a non-pgerror.
func CodeOf(err error) Code { return From(err).Code }
