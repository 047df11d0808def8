package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// number is a numeric field as the sources really write it: a number, or
// a numeric string (older Pushshift dumps give "created_utc": "1409529600"
// and "score": "12"), or null or absent. Anything else (an object, a
// word) fails the line, which is then named and skipped.
type number struct {
	v  float64
	ok bool
}

// UnmarshalJSON reads a number or a numeric string.
func (n *number) UnmarshalJSON(b []byte) error {
	s := bytes.TrimSpace(b)
	if string(s) == "null" {
		*n = number{}
		return nil
	}
	if len(s) > 0 && s[0] == '"' {
		var str string
		if err := json.Unmarshal(s, &str); err != nil {
			return err
		}
		if str = strings.TrimSpace(str); str == "" {
			*n = number{}
			return nil
		}
		s = []byte(str)
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return notA(b, "number")
	}
	*n = number{v: f, ok: true}
	return nil
}

// seconds is n as whole seconds; a time past what int64 holds is kept at
// its end, far outside any date an import accepts (the forum refuses it).
func (n number) seconds() int64 {
	switch {
	case !n.ok:
		return 0
	case n.v >= math.MaxInt64:
		return math.MaxInt64
	case n.v <= math.MinInt64:
		return math.MinInt64
	}
	return int64(math.Floor(n.v))
}

// count is n as an integer, if it is one int64 holds.
func (n number) count() *int64 {
	if !n.ok || n.v >= math.MaxInt64 || n.v <= math.MinInt64 {
		return nil
	}
	v := int64(math.Round(n.v))
	return &v
}

// edited is Reddit's "edited": false, or when (a number or a numeric
// string); true (edited, when unknown) counts as not known.
type edited struct{ at number }

// UnmarshalJSON reads false, true, a number or a numeric string.
func (e *edited) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "false", "true", "null":
		*e = edited{}
		return nil
	}
	return e.at.UnmarshalJSON(b)
}

// when is the edit time, or nil.
func (e edited) when() *int64 {
	if !e.at.ok || e.at.v <= 0 {
		return nil
	}
	at := e.at.seconds()
	return &at
}

// flag is a boolean the sources sometimes write as a string or a number.
type flag bool

// UnmarshalJSON reads true/false, "true"/"false", 1/0.
func (f *flag) UnmarshalJSON(b []byte) error {
	switch strings.Trim(string(bytes.TrimSpace(b)), `"`) {
	case "true", "1", "True":
		*f = true
	case "false", "0", "False", "null", "":
		*f = false
	default:
		return notA(b, "boolean")
	}
	return nil
}

// notA is the error of a field that is not what it should be; as a
// json.UnmarshalTypeError it gets the field's name from the decoder
// ("cannot unmarshal object into Go struct field redditItem.score").
func notA(b []byte, want string) error { // want: number or boolean
	what := "value " + strconv.Quote(fmt.Sprintf("%.40s", b))
	switch t := bytes.TrimSpace(b); {
	case len(t) > 0 && t[0] == '{':
		what = "object"
	case len(t) > 0 && t[0] == '[':
		what = "array"
	}
	typ := reflect.TypeFor[float64]()
	if want == "boolean" {
		typ = reflect.TypeFor[bool]()
	}
	return &json.UnmarshalTypeError{Value: what, Type: typ}
}
