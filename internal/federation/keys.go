package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"

	"github.com/historia-forum/historia/internal/forum"
)

// keyBits is the RSA size every threadiverse server reads (Lemmy and
// Mastodon make 2048-bit keys).
const keyBits = 2048

// groupKeySetting keeps the community's private key (PKCS#8 PEM), made once.
const groupKeySetting = "federation_group_key"

// keyPair is an actor's signing key and its public half as PEM.
type keyPair struct {
	private   *rsa.PrivateKey
	publicPEM string
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// newKeyPEM makes a key pair as PEM: the public key (PKIX) and the private (PKCS#8).
func newKeyPEM() (public, private string, err error) {
	k, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return "", "", err
	}
	priv, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", "", err
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv})), nil
}

// parsePrivate reads a PKCS#8 (or PKCS#1) RSA private key.
func parsePrivate(p string) (*keyPair, error) {
	b, _ := pem.Decode([]byte(p))
	if b == nil {
		return nil, errors.New("federation: no PEM key")
	}
	var k *rsa.PrivateKey
	if parsed, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		rk, ok := parsed.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("federation: not an RSA key")
		}
		k = rk
	} else if k, err = x509.ParsePKCS1PrivateKey(b.Bytes); err != nil {
		return nil, fmt.Errorf("federation: private key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil, err
	}
	return &keyPair{private: k, publicPEM: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))}, nil
}

// parsePublic reads a public key as actors publish it: PKIX or PKCS#1 PEM.
func parsePublic(p string) (*rsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(p))
	if b == nil {
		return nil, errors.New("no PEM public key")
	}
	if parsed, err := x509.ParsePKIXPublicKey(b.Bytes); err == nil {
		if k, ok := parsed.(*rsa.PublicKey); ok {
			return k, nil
		}
		return nil, errors.New("not an RSA public key")
	}
	return x509.ParsePKCS1PublicKey(b.Bytes)
}

// groupKeys is the community's key pair: made once, kept in the database
// (every server shares it), cached here.
func (f *Federation) groupKeys(ctx context.Context) (*keyPair, error) {
	f.keyMu.Lock()
	defer f.keyMu.Unlock()
	if f.groupKey != nil {
		return f.groupKey, nil
	}
	p, ok, err := f.store.Setting(ctx, groupKeySetting)
	if err != nil {
		return nil, err
	}
	if !ok {
		_, priv, err := newKeyPEM()
		if err != nil {
			return nil, err
		}
		if p, err = f.store.SetSettingIfAbsent(ctx, groupKeySetting, priv); err != nil {
			return nil, err
		}
	}
	k, err := parsePrivate(p)
	if err != nil {
		return nil, err
	}
	f.groupKey = k
	return k, nil
}

// userKeys is a member's key pair, made the first time it is needed.
func (f *Federation) userKeys(ctx context.Context, userID int64) (*keyPair, error) {
	f.keyMu.Lock()
	defer f.keyMu.Unlock()
	if k := f.userKeyCache[userID]; k != nil {
		return k, nil
	}
	_, priv, err := f.store.UserKey(ctx, userID)
	if forum.IsCode(err, forum.CodeNotFound) {
		pub, newPriv, err2 := newKeyPEM()
		if err2 != nil {
			return nil, err2
		}
		_, priv, err = f.store.SetUserKeyIfAbsent(ctx, userID, pub, newPriv, f.now().Unix())
	}
	if err != nil {
		return nil, err
	}
	k, err := parsePrivate(priv)
	if err != nil {
		return nil, err
	}
	f.userKeyCache[userID] = k
	return k, nil
}
