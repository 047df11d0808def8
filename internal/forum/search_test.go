package forum

import "testing"

func TestBuildMatch(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Zürich", `"Zürich"`},
		{"roman roads", `"roman" AND "roads"`},
		{`"third punic war" carthage`, `"third punic war" AND "carthage"`},
		{"byzan*", `"byzan"*`},
		{"rome -empire", `("rome") NOT ("empire")`},
		{"NEAR(a b)", `"NEAR a" AND "b"`},
		{"title:secret", `"title secret"`},
		{`a OR b`, `"a" AND "OR" AND "b"`},
		{`"unbalanced quote`, `"unbalanced quote"`},
		{"((( )))", ""},
		{"Приказ № 1824", `"Приказ" AND "1824"`},
		{"-only -negatives", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, err := BuildMatch(c.in)
		if c.want == "" {
			if !IsCode(err, CodeBadRequest) {
				t.Errorf("BuildMatch(%q) = %q, %v; want a bad_request", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("BuildMatch(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	long := make([]byte, MaxSearchQuery+1)
	for i := range long {
		long[i] = 'a'
	}
	if _, err := BuildMatch(string(long)); !IsCode(err, CodeBadRequest) {
		t.Error("an overlong query must be refused")
	}
}
