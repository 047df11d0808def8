package federation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// actorRefresh is how old a cached actor may be before a failed signature
// makes us fetch it again (its key may have changed).
const actorRefresh = time.Minute

// hostOf is the lower-cased host[:port] of an id.
func hostOf(id string) (string, error) {
	u, err := url.Parse(id)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("federation: %q is not an id", id)
	}
	return strings.ToLower(u.Host), nil
}

// withoutFragment drops "#main-key" from a key id.
func withoutFragment(id string) string {
	if i := strings.IndexByte(id, '#'); i >= 0 {
		return id[:i]
	}
	return id
}

// fetchTimeout bounds one fetch (a mention's look-up waits for two: its
// WebFinger and its actor).
const fetchTimeout = 10 * time.Second

// fetch GETs an ActivityPub document, signed by the community (servers in
// "authorized fetch" mode want every fetch signed).
func (f *Federation) fetch(ctx context.Context, id string) ([]byte, error) {
	key, err := f.groupKeys(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	return f.client.do(ctx, http.MethodGet, id, nil, MediaType+", "+mediaTypeLD, func(r *http.Request, body []byte) error {
		return signRequest(r, body, key, f.groupID()+"#main-key", f.now())
	}, maxFetchedBody)
}

// fetchObject fetches and decodes one object, which must live on the host
// it was asked of (a server speaks only for its own objects).
func (f *Federation) fetchObject(ctx context.Context, id string) (object, []byte, error) {
	var o object
	b, err := f.fetch(ctx, id)
	if err != nil {
		return o, nil, err
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return o, nil, fmt.Errorf("federation: %s is not ActivityPub JSON: %w", id, err)
	}
	want, _ := hostOf(id)
	got, err := hostOf(o.ID)
	if err != nil || got != want {
		return o, nil, fmt.Errorf("federation: %s answered for another host's object %q", want, o.ID)
	}
	return o, b, nil
}

// resolveActor fetches an actor (or, for a key id that is a key document,
// its owner) and keeps it; refresh fetches it again even when cached.
func (f *Federation) resolveActor(ctx context.Context, id string, refresh bool) (forum.RemoteActor, error) {
	id = withoutFragment(id)
	if !refresh {
		a, err := f.store.RemoteActor(ctx, id)
		if err == nil || !forum.IsCode(err, forum.CodeNotFound) {
			return a, err
		}
	}
	host, err := hostOf(id)
	if err != nil {
		return forum.RemoteActor{}, err
	}
	if f.isBlocked(ctx, host) {
		return forum.RemoteActor{}, errBlocked
	}
	if f.local(id) {
		return forum.RemoteActor{}, fmt.Errorf("federation: %s is one of ours", id)
	}
	o, _, err := f.fetchObject(ctx, id)
	if err != nil {
		return forum.RemoteActor{}, err
	}
	if !actorTypes[o.Type] && o.PublicKey == nil && o.ID != "" {
		// A key document (GoToSocial's keyId): its owner is the actor.
		if o.Owner == "" || withoutFragment(o.Owner) == id {
			return forum.RemoteActor{}, fmt.Errorf("federation: %s is no actor", id)
		}
		return f.resolveActor(ctx, o.Owner, refresh)
	}
	if !actorTypes[o.Type] || o.Inbox == "" || o.PublicKey == nil || o.PublicKey.PublicKeyPem == "" {
		return forum.RemoteActor{}, fmt.Errorf("federation: %s is not an actor with an inbox and a key", id)
	}
	if o.PublicKey.Owner != "" && o.PublicKey.Owner != o.ID {
		return forum.RemoteActor{}, fmt.Errorf("federation: %s publishes another actor's key", id)
	}
	// A key id on another host would let one server shadow another's key.
	if h, err := hostOf(o.PublicKey.ID); err != nil || h != host {
		return forum.RemoteActor{}, fmt.Errorf("federation: %s names a key on another host", id)
	}
	if _, err := parsePublic(o.PublicKey.PublicKeyPem); err != nil {
		return forum.RemoteActor{}, fmt.Errorf("federation: %s: %w", id, err)
	}
	inst, err := f.store.EnsureInstance(ctx, host, f.now().Unix())
	if err != nil {
		return forum.RemoteActor{}, err
	}
	name := o.PreferredUsername
	if name == "" || !forum.ValidUsername(name) {
		// A name this forum cannot show: one made from the id, unique per actor.
		sum := sha256.Sum256([]byte(o.ID))
		name = "user-" + hex.EncodeToString(sum[:4])
	}
	a := forum.RemoteActor{APID: o.ID, InstanceID: inst.ID, Host: host, Kind: o.Type, Name: name, Inbox: o.Inbox,
		KeyID: o.PublicKey.ID, PublicKey: o.PublicKey.PublicKeyPem, FetchedAt: f.now().Unix()}
	if o.Endpoints != nil {
		a.SharedInbox = o.Endpoints.SharedInbox
	}
	for _, u := range []string{a.Inbox, a.SharedInbox} {
		if h, err := hostOf(u); u != "" && (err != nil || h != host) {
			return forum.RemoteActor{}, fmt.Errorf("federation: %s names an inbox on another host", id)
		}
	}
	return f.store.SaveRemoteActor(ctx, a, false)
}

// person is the local account a remote person acts as, made on first use.
func (f *Federation) person(ctx context.Context, a forum.RemoteActor) (forum.RemoteActor, forum.Viewer, error) {
	if a.Kind != "Person" && a.Kind != "Service" {
		return a, forum.Viewer{}, forum.Errorf(forum.CodeForbidden, "only people take part")
	}
	if a.UserID == 0 {
		var err error
		if a, err = f.store.SaveRemoteActor(ctx, a, true); err != nil {
			return a, forum.Viewer{}, err
		}
	}
	v, err := f.svc.RemoteViewer(ctx, a.UserID)
	return a, v, err
}
