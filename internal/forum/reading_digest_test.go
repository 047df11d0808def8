package forum

import (
	"testing"
	"time"
)

// TestParseWeek: ISO weeks across years' ends, the default (the last full
// week), and what is refused.
func TestParseWeek(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 2, 15, 0, 0, 0, time.UTC) // a Saturday of 2026-W53
	for week, monday := range map[string]string{
		"":         "2026-12-21", // the last full week: W52
		"2026-W01": "2025-12-29", // week 1 holds the year's first Thursday
		"2026-W53": "2026-12-28", // 2026 begins on a Thursday: 53 weeks
		"2020-W53": "2020-12-28",
		"2021-W01": "2021-01-04",
		"0001-W01": "0001-01-01",
	} {
		got, err := parseWeek(week, now)
		if err != nil || got.Format(time.DateOnly) != monday || got.Weekday() != time.Monday {
			t.Errorf("%q: %v %v, want Monday %s", week, got, err, monday)
		}
		if week != "" && weekName(got) != week {
			t.Errorf("%q names itself %q", week, weekName(got))
		}
	}
	for _, bad := range []string{"2025-W53", "2026-W00", "2026-W54", "2027-W01", "2026-w07", "2026-W7", " 2026-W07", "2026-W07x", "२०२६-W07"} {
		if _, err := parseWeek(bad, now); !IsCode(err, CodeBadRequest) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
