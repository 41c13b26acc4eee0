package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
)

// invalidInput is the 422 for a well-formed body whose fields are wrong;
// each field is named by JSON pointer (/email).
func invalidInput(errs ...FieldError) *Problem {
	detail := "the request body has invalid fields"
	if len(errs) == 1 {
		detail = fmt.Sprintf("%s: %s", errs[0].Field, errs[0].Reason)
	}
	return &Problem{Type: "/problems/invalid-input", Title: "Invalid input", Status: http.StatusUnprocessableEntity,
		Detail: detail, Errors: errs}
}

// conflict is the 409 for a write that clashes with existing data.
func conflict(field, reason string) *Problem {
	return &Problem{Type: "/problems/conflict", Title: "Conflict", Status: http.StatusConflict,
		Detail: field + ": " + reason, Errors: []FieldError{{field, reason}}}
}

// readJSON decodes the request body into v strictly: the media type must be
// application/json, the body one JSON object with no unknown fields and
// nothing after it, within the body size limit. Field problems name the
// field by JSON pointer.
func readJSON(c *gin.Context, v any) error {
	mt, _, err := mime.ParseMediaType(c.Request.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &Problem{Type: "/problems/unsupported-media-type", Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType,
			Detail: "send the body as application/json", Errors: []FieldError{{"Content-Type", "must be application/json"}}}
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			err = errors.New("data after the JSON object")
		}
	}
	if err == nil {
		return nil
	}
	var tooLarge *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooLarge):
		return &Problem{Type: "/problems/too-large", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the body may be at most %d bytes", tooLarge.Limit),
			Errors: []FieldError{{Field: "body", Reason: fmt.Sprintf("larger than %d bytes", tooLarge.Limit)}}}
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return invalidInput(FieldError{"/" + strings.ReplaceAll(typeErr.Field, ".", "/"), "must be a JSON " + jsonKind(typeErr.Type)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalidInput(FieldError{"/" + name, "unknown field"})
	}
	return &Problem{Type: "/problems/malformed-json", Title: "Malformed JSON", Status: http.StatusBadRequest,
		Detail: "the body is not one JSON object: " + err.Error(), Errors: []FieldError{{"body", "is not one well-formed JSON object"}}}
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "number"
}

// noParams refuses every query parameter (write routes take none).
func noParams(c *gin.Context) error { return onlyParams(c) }
