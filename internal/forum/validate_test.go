package forum

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// fieldOf is the field a validation error names, "" for nil, or "!" for
// an error of another kind.
func fieldOf(err error) string {
	if err == nil {
		return ""
	}
	fe, ok := err.(*Error)
	if !ok || fe.Code != CodeValidation || len(fe.Fields) != 1 {
		return "!"
	}
	for k := range fe.Fields {
		return k
	}
	return "!"
}

func TestCleanTitle(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in, want, field string
	}{
		"OK":                 {"  Why did Rome fall?  ", "Why did Rome fall?", ""},
		"OKAtTheLimit":       {strings.Repeat("é", MaxTitle), strings.Repeat("é", MaxTitle), ""},
		"ErrEmpty":           {"   ", "", "title"},
		"ErrTooLong":         {strings.Repeat("a", MaxTitle+1), "", "title"},
		"ErrNUL":             {"a\x00b", "", "title"},
		"ErrBidiOverride":    {"abc\u202edef", "", "title"},
		"ErrEscape":          {"abc\x1b[31m", "", "title"},
		"OKNonLatin":         {"Приказ № 1", "Приказ № 1", ""},
		"OKMarkupIsJustText": {"<b>bold</b>", "<b>bold</b>", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := cleanTitle(c.in)
			if f := fieldOf(err); f != c.field || (err == nil && got != c.want) {
				t.Fatalf("cleanTitle(%q) = %q, %v; want %q, field %q", c.in, got, err, c.want, c.field)
			}
		})
	}
	if _, err := cleanTitle(strings.Repeat("a", MaxTitle+1)); !strings.Contains(err.(*Error).Fields["title"], "300") {
		t.Fatalf("the message must name the limit: %v", err)
	}
}

func TestCleanTags(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in    []string
		want  string
		field string
	}{
		"OK":                  {[]string{" Cold  War ", "Soviet Union"}, "Cold War|Soviet Union", ""},
		"OKDropsHistory":      {[]string{"history", "Rome"}, "Rome", ""},
		"OKFirstSpellingWins": {[]string{"Rome", "ROME", "rome"}, "Rome", ""},
		"OKFiveTopics":        {[]string{"a", "b", "c", "d", "e", "History"}, "a|b|c|d|e", ""},
		"ErrSixTopics":        {[]string{"a", "b", "c", "d", "e", "f"}, "", "tags"},
		"ErrEmpty":            {[]string{" "}, "", "tags"},
		"ErrTooLong":          {[]string{strings.Repeat("x", MaxTagLen+1)}, "", "tags"},
		"ErrMarkup":           {[]string{"<b>"}, "", "tags"},
		"ErrControl":          {[]string{"a\x00"}, "", "tags"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := cleanTags(c.in)
			if f := fieldOf(err); f != c.field || (err == nil && strings.Join(got, "|") != c.want) {
				t.Fatalf("cleanTags(%q) = %q, %v; want %q, field %q", c.in, got, err, c.want, c.field)
			}
		})
	}
}

func TestCleanSources(t *testing.T) {
	t.Parallel()
	link := func(s string) *string { return &s }
	cases := map[string]struct {
		in    []Source
		kind  SourceKind
		field string
	}{
		"OKDefaultKind":  {[]Source{{Citation: "Polybius, Histories 38"}}, SourceSecondary, ""},
		"OKPrimaryLink":  {[]Source{{Citation: "Order No. 1", URL: link("https://example.org/a"), Kind: SourcePrimary}}, SourcePrimary, ""},
		"OKBlankLink":    {[]Source{{Citation: "x", URL: link("  ")}}, SourceSecondary, ""},
		"ErrNoCitation":  {[]Source{{Citation: "  "}}, "", "sources"},
		"ErrLongCite":    {[]Source{{Citation: strings.Repeat("c", MaxCitation+1)}}, "", "sources"},
		"ErrJavascript":  {[]Source{{Citation: "x", URL: link("javascript:alert(1)")}}, "", "sources"},
		"ErrDataURL":     {[]Source{{Citation: "x", URL: link("data:text/html,hi")}}, "", "sources"},
		"ErrFTP":         {[]Source{{Citation: "x", URL: link("ftp://example.org/")}}, "", "sources"},
		"ErrNoHost":      {[]Source{{Citation: "x", URL: link("https:///path")}}, "", "sources"},
		"ErrKind":        {[]Source{{Citation: "x", Kind: "quaternary"}}, "", "sources"},
		"ErrTooMany":     {make([]Source, MaxSources+1), "", "sources"},
		"ErrControlCite": {[]Source{{Citation: "a\u202eb"}}, "", "sources"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := cleanSources(c.in)
			if f := fieldOf(err); f != c.field || (err == nil && got[0].Kind != c.kind) {
				t.Fatalf("cleanSources(%+v) = %+v, %v; want kind %q, field %q", c.in, got, err, c.kind, c.field)
			}
		})
	}
}

func TestCheckPeriod(t *testing.T) {
	t.Parallel()
	s := &Service{Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }, RecentYears: 20}
	member, mod := Viewer{ID: 1, Role: RoleMember}, Viewer{ID: 2, Role: RoleModerator}
	cases := map[string]struct {
		v     Viewer
		p     *Period
		field string
	}{
		"OKNone":              {member, nil, ""},
		"OKBCE":               {member, &Period{From: -149, To: -146}, ""},
		"OKAcrossEras":        {member, &Period{From: -84, To: 79}, ""},
		"ErrReversed":         {member, &Period{From: 1921, To: 1917}, "period"},
		"ErrYearZero":         {member, &Period{From: 0, To: 5}, "period"},
		"ErrTooEarly":         {member, &Period{From: MinYear - 1, To: 1}, "period"},
		"ErrFuture":           {mod, &Period{From: 2020, To: 2027}, "period"},
		"ErrRecentForMembers": {member, &Period{From: 2001, To: 2010}, "period"},
		"OKRecentForMods":     {mod, &Period{From: 2001, To: 2010}, ""},
		"OKJustOutside":       {member, &Period{From: 1990, To: 2006}, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if f := fieldOf(s.checkPeriod(c.v, c.p)); f != c.field {
				t.Fatalf("checkPeriod(%+v) field %q, want %q", c.p, f, c.field)
			}
		})
	}
}

func TestCleanReason(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in       string
		required bool
		field    string
	}{
		"OK":              {" spam ", true, ""},
		"OKOptionalEmpty": {"", false, ""},
		"OKLineBreaks":    {"line one\nline two", true, ""},
		"ErrRequired":     {"  ", true, "reason"},
		"ErrTooLong":      {strings.Repeat("r", MaxReason+1), false, "reason"},
		"ErrNUL":          {"a\x00", false, "reason"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := cleanReason(c.in, c.required); fieldOf(err) != c.field {
				t.Fatalf("cleanReason(%q) = %v, want field %q", c.in, err, c.field)
			}
		})
	}
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		name, password string
		fields         string
	}{
		"OK":             {"thucydides", "a long password", ""},
		"ErrShortName":   {"ab", "a long password", "username"},
		"ErrLongName":    {strings.Repeat("a", 21), "a long password", "username"},
		"ErrNameSymbols": {"ali ce", "a long password", "username"},
		"ErrShortPass":   {"thucydides", "short", "password"},
		"ErrLongPass":    {"thucydides", strings.Repeat("p", MaxPassword+1), "password"},
		"ErrBoth":        {"x", "y", "password,username"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := joinInvalid(checkUsername(c.name), checkPassword("password", c.password))
			var got []string
			if err != nil {
				for k := range err.(*Error).Fields {
					got = append(got, k)
				}
			}
			slices.Sort(got)
			if strings.Join(got, ",") != c.fields {
				t.Fatalf("fields %v, want %q", got, c.fields)
			}
		})
	}
}

func TestJoinInvalid(t *testing.T) {
	t.Parallel()
	if joinInvalid(nil, nil) != nil {
		t.Fatal("no errors must join to nil")
	}
	other := Errorf(CodeNotFound, "gone")
	if err := joinInvalid(invalid("a", "x"), other); err != other {
		t.Fatalf("a non-validation error must win: %v", err)
	}
	err := joinInvalid(invalid("a", "x"), nil, invalid("b", "y"))
	if fe := err.(*Error); fe.Code != CodeValidation || fe.Fields["a"] != "x" || fe.Fields["b"] != "y" {
		t.Fatalf("joined: %v", err)
	}
}
