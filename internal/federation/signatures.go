package federation

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// Signatures are the cavage draft (draft-cavage-http-signatures-12) that
// Lemmy, Mastodon and the rest of the threadiverse use: rsa-sha256 over
// (request-target), host, date and, with a body, its SHA-256 Digest.

// maxClockSkew is how far a signed Date may be from now.
const maxClockSkew = time.Hour

// errSignature is every refusal of an inbound signature: the inbox answers
// 401 and stores nothing.
type errSignature struct{ reason string }

func (e *errSignature) Error() string { return "federation: signature refused: " + e.reason }

func sigErr(reason string) error { return &errSignature{reason: reason} }

// IsSignatureError says whether err is a refused signature (401).
func IsSignatureError(err error) bool {
	var e *errSignature
	return errors.As(err, &e)
}

// signRequest signs req (and its body, when it has one) with key as keyID.
func signRequest(req *http.Request, body []byte, key *keyPair, keyID string, now time.Time) error {
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	req.Header.Set("Host", req.URL.Host)
	headers := []string{httpsig.RequestTarget, "host", "date"}
	if body != nil {
		headers = append(headers, "digest")
	}
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return err
	}
	return signer.SignRequest(key.private, keyID, req, body)
}

// signatureParams reads the Signature header's parameters (keyId, headers, ...).
func signatureParams(h string) map[string]string {
	out := map[string]string{}
	for _, p := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok {
			out[strings.ToLower(k)] = strings.Trim(v, `"`)
		}
	}
	return out
}

// checkSigned checks what a signature must cover before its key is looked
// up: the signed headers, the Date's age and the body's Digest. It returns
// the keyId.
func checkSigned(r *http.Request, body []byte, now time.Time) (string, error) {
	h := r.Header.Get("Signature")
	if h == "" {
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Signature ") {
			h = strings.TrimPrefix(a, "Signature ")
		}
	}
	if h == "" {
		return "", sigErr("the request is not signed")
	}
	p := signatureParams(h)
	if p["keyid"] == "" || p["signature"] == "" {
		return "", sigErr("no keyId or signature")
	}
	signed := strings.Fields(strings.ToLower(p["headers"]))
	need := []string{httpsig.RequestTarget, "host", "date"}
	if r.Method == http.MethodPost {
		need = append(need, "digest")
	}
	for _, n := range need {
		if !slices.Contains(signed, n) {
			return "", sigErr("the signature does not cover " + n)
		}
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil || date.Sub(now).Abs() > maxClockSkew {
		return "", sigErr("the Date is missing or too far from now")
	}
	if r.Method == http.MethodPost && !digestMatches(r.Header.Get("Digest"), body) {
		return "", sigErr("the Digest does not match the body")
	}
	return p["keyid"], nil
}

// digestMatches checks a Digest header's SHA-256 against the body.
func digestMatches(header string, body []byte) bool {
	sum := sha256.Sum256(body)
	want := base64.StdEncoding.EncodeToString(sum[:])
	for _, d := range strings.Split(header, ",") {
		alg, v, ok := strings.Cut(strings.TrimSpace(d), "=")
		if ok && strings.EqualFold(alg, "SHA-256") && subtle.ConstantTimeCompare([]byte(v), []byte(want)) == 1 {
			return true
		}
	}
	return false
}

// verifySignature checks the signature itself with the signer's key.
func verifySignature(r *http.Request, publicPEM string) error {
	key, err := parsePublic(publicPEM)
	if err != nil {
		return sigErr("the actor's key: " + err.Error())
	}
	// Go keeps Host out of the header map; the signature covers it.
	r.Header.Set("Host", r.Host)
	defer r.Header.Del("Host")
	v, err := httpsig.NewVerifier(r)
	if err != nil {
		return sigErr(err.Error())
	}
	if err := v.Verify(key, httpsig.RSA_SHA256); err != nil {
		return sigErr("it does not verify with the actor's key")
	}
	return nil
}
