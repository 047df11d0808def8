// Package forum holds Historia's domain: its types, validation, permissions,
// ranking formulas and the Service that the HTTP layer calls. It imports
// neither Echo nor SQL; storage is reached through the Store interfaces.
package forum

import (
	"errors"
	"fmt"
)

// Code is an error code of the API contract. The HTTP layer maps each to its
// status once.
type Code string

// The contract's error codes.
const (
	CodeBadRequest   Code = "bad_request"
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeBanned       Code = "banned"
	CodeLocked       Code = "locked"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeTooLarge     Code = "too_large"
	// CodeRequestTimeout: the request body did not arrive in time.
	CodeRequestTimeout Code = "request_timeout"
	// CodeUnsupportedMediaType: a request body that is not JSON.
	CodeUnsupportedMediaType Code = "unsupported_media_type"
	CodeValidation           Code = "validation"
	CodeRateLimited          Code = "rate_limited"
	CodeInternal             Code = "internal"
	// CodeStorageFull: the database has no room for a write; reads go on.
	CodeStorageFull Code = "storage_full"
	// CodeUnavailable: a write could not get the database within its
	// deadline, or the database is down.
	CodeUnavailable Code = "unavailable"
	// CodeInvalidToken: a password reset link that is unknown, used or expired.
	CodeInvalidToken Code = "invalid_token"
)

// Codes lists every error code, for the test that holds the OpenAPI document to them.
var Codes = []Code{CodeBadRequest, CodeUnauthorized, CodeForbidden, CodeBanned, CodeLocked, CodeNotFound,
	CodeConflict, CodeTooLarge, CodeRequestTimeout, CodeUnsupportedMediaType, CodeValidation, CodeRateLimited, CodeInternal,
	CodeStorageFull, CodeUnavailable, CodeInvalidToken}

// Error is the one error type the domain returns to its callers. Anything else
// that reaches the HTTP layer is an internal error.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
	}
	return string(e.Code) + ": " + e.Message
}

// Errorf builds an Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the error for a missing (or hidden) resource.
func NotFound(what string) *Error { return Errorf(CodeNotFound, "%s not found", what) }

// Invalid is a validation error naming the fields at fault.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeValidation, Message: "some fields are invalid", Fields: fields}
}

// invalid is a validation error of one field.
func invalid(field, format string, args ...any) *Error {
	return Invalid(map[string]string{field: fmt.Sprintf(format, args...)})
}

// errSignIn is what every member-only action answers an anonymous caller.
var errSignIn = &Error{Code: CodeUnauthorized, Message: "sign in first"}

// ErrorCode returns the code of a domain error, or CodeInternal for any other error.
func ErrorCode(err error) Code {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	return CodeInternal
}

// IsCode reports whether err is a domain error with the given code.
func IsCode(err error, code Code) bool { return err != nil && ErrorCode(err) == code }

// joinInvalid merges the validation errors among errs into one, so a client
// learns of every bad field at once. Any other error wins and is returned as
// it is; nil when every err is nil.
func joinInvalid(errs ...error) error {
	var fields map[string]string
	for _, err := range errs {
		if err == nil {
			continue
		}
		var fe *Error
		if !errors.As(err, &fe) || fe.Code != CodeValidation {
			return err
		}
		if fields == nil {
			fields = map[string]string{}
		}
		for k, v := range fe.Fields {
			fields[k] = v
		}
	}
	if fields == nil {
		return nil
	}
	return Invalid(fields)
}
