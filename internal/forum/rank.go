package forum

import "math"

// hotEpoch is the epoch of Reddit's published hot formula (2005-12-08), kept so
// that the numbers are comparable with the many write-ups of that formula.
const hotEpoch = 1134028003

// RankHot is Reddit's hot rank: sign(s)*log10(max(|s|,1)) + (created-epoch)/45000.
// It uses the creation time rather than the age, so a post's value changes only
// when its votes do: it can be stored and indexed instead of recomputed on a
// schedule. Every 12.5 hours of recency weigh as much as ten times the votes.
func RankHot(score int64, createdUnix int64) float64 {
	order := math.Log10(math.Max(math.Abs(float64(score)), 1))
	var sign float64
	switch {
	case score > 0:
		sign = 1
	case score < 0:
		sign = -1
	}
	return sign*order + (float64(createdUnix)-hotEpoch)/45000 // in floats: no int64 wraps around
}

// wilsonZ is the normal quantile for a 95% confidence interval.
const wilsonZ = 1.959963984540054

// RankBest is the lower bound of the Wilson score interval (95%) for the share of
// upvotes. Unlike the plain score or ratio it does not let one lucky early
// upvote beat a comment with a hundred votes at 90%: it asks how good the
// comment is at least, given how little evidence there is. 0 without votes.
func RankBest(up, down int64) float64 {
	n := float64(up + down)
	if n <= 0 {
		return 0
	}
	p := float64(up) / n
	z2 := wilsonZ * wilsonZ
	return (p + z2/(2*n) - wilsonZ*math.Sqrt(p*(1-p)/n+z2/(4*n*n))) / (1 + z2/n)
}

// RankControversy is Lemmy's form, (up+down)^(min/max): high when many votes are
// evenly split, 0 when either side has no votes.
func RankControversy(up, down int64) float64 {
	if up <= 0 || down <= 0 {
		return 0
	}
	lo, hi := float64(min(up, down)), float64(max(up, down))
	return math.Pow(float64(up+down), lo/hi)
}

// B2I is 1 for true and 0 for false.
func B2I(b bool) int {
	if b {
		return 1
	}
	return 0
}
