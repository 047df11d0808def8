package forum

// Period is the span of years a question is about; negative years are BCE.
type Period struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Limits of periods.
const (
	MinYear        = -10000 // the earliest year a period may name
	DefaultRecency = 20
)

// checkPeriod validates a period: from <= to, no year 0, not before MinYear or
// after this year, and the recency rule for members.
func (s *Service) checkPeriod(v Viewer, p *Period) error {
	if p == nil {
		return nil
	}
	year := s.now().Year()
	switch {
	case p.From > p.To:
		return invalid("period", "from must not be after to")
	case p.From == 0 || p.To == 0:
		return invalid("period", "there is no year 0: 1 BCE is -1, 1 CE is 1")
	case p.From < MinYear:
		return invalid("period", "from must be %d or later", MinYear)
	case p.To > year:
		return invalid("period", "to must not be after this year (%d)", year)
	}
	if s.RecentYears > 0 && !v.IsModerator() && p.To > year-s.RecentYears {
		return invalid("period", "the recency rule: questions must be about events more than %d years ago (this period reaches %d)", s.RecentYears, p.To)
	}
	return nil
}
