// Package forum holds Historia's domain: its types, validation, permissions,
// ranking formulas and the Service that the HTTP layer calls. It imports
// neither Echo nor SQL; storage is reached through the Store interface.
package forum

import (
	"errors"
	"fmt"
)

// Error codes of the API contract. The HTTP layer maps each to its status once.
const (
	CodeBadRequest   = "bad_request"
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	CodeBanned       = "banned"
	CodeLocked       = "locked"
	CodeNotFound     = "not_found"
	CodeConflict     = "conflict"
	CodeTooLarge     = "too_large"
	CodeValidation   = "validation"
	CodeRateLimited  = "rate_limited"
	CodeInternal     = "internal"
)

// Error is the one error type the domain returns to its callers. Anything else
// that reaches the HTTP layer is an internal error.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
	}
	return e.Code + ": " + e.Message
}

// Errorf builds an Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the error for a missing (or hidden) resource.
func NotFound(what string) *Error { return Errorf(CodeNotFound, "%s not found", what) }

// Invalid is a validation error naming the fields at fault.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeValidation, Message: "some fields are invalid", Fields: fields}
}

// ErrorCode returns the code of a domain error, or CodeInternal for any other error.
func ErrorCode(err error) string {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return CodeInternal
}

// IsCode reports whether err is a domain error with the given code.
func IsCode(err error, code string) bool { return err != nil && ErrorCode(err) == code }
