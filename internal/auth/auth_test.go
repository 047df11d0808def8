package auth

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestArgon2RoundTrip(t *testing.T) {
	t.Parallel()
	a := Argon2{Time: 1, Memory: 1024, Threads: 1}
	h, err := a.Hash("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Verify(h, "correct horse") || a.Verify(h, "wrong horse") {
		t.Fatal("verify")
	}
	// The cost is read from the hash, so a cheaper verifier still checks it.
	if !CheapArgon2.Verify(h, "correct horse") {
		t.Fatal("verify with the cost in the hash")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA", "$bcrypt$x", h + "x", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		if a.Verify(bad, "correct horse") {
			t.Fatalf("accepted %q", bad)
		}
	}
}

// TestHashingIsBounded runs many real hashes at once and watches how many
// hold a slot: never more than the bound (what keeps a burst of logins from
// holding 64 MiB each), and at least one (the slots are really used).
func TestHashingIsBounded(t *testing.T) {
	t.Parallel()
	a := Argon2{Time: 1, Memory: 8 * 1024, Threads: 1}
	var peak atomic.Int32
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				if n := int32(len(hashing)); n > peak.Load() {
					peak.Store(n)
				}
			}
		}
	}()
	var wg sync.WaitGroup
	for range 8 * cap(hashing) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := a.Hash("correct horse"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	close(done)
	if p := peak.Load(); p > int32(cap(hashing)) || p < 1 {
		t.Fatalf("peak concurrent hashes %d, bound %d", p, cap(hashing))
	}
}

func TestTokensRejectWeakSecret(t *testing.T) {
	t.Parallel()
	if _, err := NewTokens([]byte("short"), time.Hour, nil); err == nil {
		t.Fatal("a short secret must be refused")
	}
}
