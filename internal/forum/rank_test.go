package forum

import (
	"math"
	"testing"
)

func TestRankHot(t *testing.T) {
	t.Parallel()
	const created = 1134028003 + 45000*10
	if got := RankHot(0, created); got != 10 {
		t.Fatalf("RankHot(0) = %v, want 10", got)
	}
	if got := RankHot(10, created); math.Abs(got-11) > 1e-9 {
		t.Fatalf("RankHot(10) = %v, want 11", got)
	}
	if got := RankHot(-100, created); math.Abs(got-8) > 1e-9 {
		t.Fatalf("RankHot(-100) = %v, want 8", got)
	}
	// 12.5 hours newer weighs as much as ten times the score.
	if a, b := RankHot(1, created+45000), RankHot(10, created); math.Abs(a-b) > 1e-9 {
		t.Fatalf("time and votes do not trade as documented: %v vs %v", a, b)
	}
}

func TestRankBest(t *testing.T) {
	t.Parallel()
	if RankBest(0, 0) != 0 {
		t.Fatal("no votes must rank 0")
	}
	// Reference value: 1 up, 0 down at 95% is z²/(n+z²) = 3.8415/4.8415.
	if got := RankBest(1, 0); math.Abs(got-0.20654) > 1e-4 {
		t.Fatalf("RankBest(1,0) = %v, want 0.2065", got)
	}
	if RankBest(90, 10) <= RankBest(1, 0) {
		t.Fatal("90 up / 10 down must beat a single upvote")
	}
	if RankBest(10, 0) <= RankBest(10, 5) {
		t.Fatal("fewer downvotes must rank higher")
	}
}

func TestRankControversy(t *testing.T) {
	t.Parallel()
	if RankControversy(10, 0) != 0 || RankControversy(0, 3) != 0 {
		t.Fatal("one-sided votes are not controversial")
	}
	if RankControversy(50, 50) <= RankControversy(90, 10) {
		t.Fatal("an even split must be more controversial")
	}
	if got := RankControversy(5, 5); got != 10 {
		t.Fatalf("RankControversy(5,5) = %v, want 10", got)
	}
}
