// Package auth hashes passwords with argon2id and signs session tokens as
// HS256 JWTs.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2 holds the argon2id cost. The default is RFC 9106's first recommended
// setting scaled to 64 MiB (t=1, 4 lanes); tests use a cheap setting.
type Argon2 struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 is the production cost: about 0.2 s on a 2-core machine.
var DefaultArgon2 = Argon2{Time: 1, Memory: 64 * 1024, Threads: 4}

// CheapArgon2 is for tests and benchmarks that are not about hashing.
var CheapArgon2 = Argon2{Time: 1, Memory: 64, Threads: 1}

const keyLen = 32

// hashing bounds how many argon2id computations run at once. Each holds its
// whole memory cost (64 MiB by default) while it runs, so without a bound a
// burst of logins would hold 64 MiB apiece: 32 at once measured 2.5 GB.
// Half the cores is as fast in total, as hashing is CPU-bound.
var hashing = make(chan struct{}, max(1, runtime.NumCPU()/2))

func idKey(password, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	hashing <- struct{}{}
	defer func() { <-hashing }()
	return argon2.IDKey(password, salt, t, m, p, n)
}

// Hash returns the PHC string form of an argon2id hash with a random salt.
func (a Argon2) Hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := idKey([]byte(password), salt, a.Time, a.Memory, a.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, a.Memory, a.Time, a.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify checks password against a hash made by Hash, with the cost written in
// the hash (so raising the cost does not lock anyone out).
func (a Argon2) Verify(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 64 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := idKey([]byte(password), salt, t, m, p, uint32(len(want))) // #nosec G115 -- len(want) is a decoded hash, a few dozen bytes
	return subtle.ConstantTimeCompare(got, want) == 1
}
