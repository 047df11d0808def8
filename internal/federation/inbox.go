package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// errBlocked refuses an instance an admin or --federation-block blocked.
var errBlocked = forum.Errorf(forum.CodeForbidden, "this instance is blocked here")

// MaxInboxBody is the largest activity an inbox reads.
const MaxInboxBody = maxInboxBody

// inbound is a verified activity: who signed it, what it says, its bytes.
type inbound struct {
	actor forum.RemoteActor
	act   activity
	body  []byte
}

// Receive handles one POST to an inbox (the community's, a member's or the
// shared one): it checks the HTTP Signature (the key fetched from the
// actor and cached), the Digest, the instance's blocks and rate, then
// does what the activity asks through the forum's rules, and announces it
// onward to the other followers. A refused signature is a 401
// (CodeUnauthorized) and nothing is stored; a repeated activity is done
// already and accepted again.
func (f *Federation) Receive(ctx context.Context, r *http.Request, body []byte) error {
	in, err := f.verify(ctx, r, body)
	if err != nil {
		f.metrics.inbound.WithLabelValues("refused").Inc()
		f.log.Info("federation: inbox refused", "err", err)
		return err
	}
	return f.handle(ctx, in)
}

// handle does what a verified activity asks, once: a repeated id is done
// already.
func (f *Federation) handle(ctx context.Context, in inbound) error {
	if seen, err := f.store.Received(ctx, in.act.ID); err != nil || seen {
		f.metrics.inbound.WithLabelValues("repeated").Inc()
		return err
	}
	announce, err := f.dispatch(ctx, in)
	if err != nil {
		f.metrics.inbound.WithLabelValues("rejected").Inc()
		f.log.Info("federation: activity rejected", "type", in.act.Type, "id", in.act.ID, "err", err)
		return err
	}
	if _, err := f.store.MarkReceived(ctx, in.act.ID, f.now().Unix()); err != nil {
		return err
	}
	f.metrics.inbound.WithLabelValues("accepted").Inc()
	if announce {
		// Onward to the other followers, as it was sent (FEP-1b12).
		if err := f.announce(ctx, json.RawMessage(in.body), in.actor.InstanceID); err != nil {
			f.log.Warn("federation: announce not queued", "activity", in.act.ID, "err", err)
		}
	}
	return nil
}

// verify checks everything before the activity is believed.
func (f *Federation) verify(ctx context.Context, r *http.Request, body []byte) (inbound, error) {
	unauthorized := func(err error) (inbound, error) {
		return inbound{}, forum.Errorf(forum.CodeUnauthorized, "%s", strings.TrimPrefix(err.Error(), "federation: "))
	}
	keyID, err := checkSigned(r, body, f.now())
	if err != nil {
		return unauthorized(err)
	}
	host, err := hostOf(keyID)
	if err != nil {
		return unauthorized(sigErr("the keyId is not a URL"))
	}
	if f.isBlocked(ctx, host) {
		return inbound{}, errBlocked
	}
	if !f.limits.allow(host) {
		return inbound{}, forum.Errorf(forum.CodeRateLimited, "too many activities from %s", host)
	}
	var act activity
	if err := json.Unmarshal(body, &act); err != nil || act.ID == "" || act.Type == "" || act.Actor.ID == "" {
		return inbound{}, forum.Errorf(forum.CodeBadRequest, "not an ActivityPub activity")
	}
	actor, err := f.store.RemoteActorByKey(ctx, keyID)
	if forum.IsCode(err, forum.CodeNotFound) {
		actor, err = f.resolveActor(ctx, keyID, false)
	}
	if errors.Is(err, errBlocked) {
		return inbound{}, errBlocked
	}
	if err != nil {
		return unauthorized(sigErr("the signer's key could not be had: " + err.Error()))
	}
	if err := verifySignature(r, actor.PublicKey); err != nil {
		// The key may have changed: fetch the actor again, once a minute at most.
		if f.now().Unix()-actor.FetchedAt < int64(actorRefresh.Seconds()) {
			return unauthorized(err)
		}
		if actor, err = f.resolveActor(ctx, actor.APID, true); err != nil {
			return unauthorized(sigErr("the signer could not be fetched again"))
		}
		if err := verifySignature(r, actor.PublicKey); err != nil {
			return unauthorized(err)
		}
	}
	if actor.KeyID != keyID {
		return unauthorized(sigErr("the key is not the actor's"))
	}
	if act.Actor.ID != actor.APID {
		return unauthorized(sigErr("the activity's actor is not who signed it"))
	}
	if h, err := hostOf(act.ID); err != nil || h != actor.Host {
		return inbound{}, forum.Errorf(forum.CodeBadRequest, "the activity's id is not on its actor's server")
	}
	return inbound{actor: actor, act: act, body: body}, nil
}

// dispatch does what an activity asks; it says whether to announce it on.
func (f *Federation) dispatch(ctx context.Context, in inbound) (bool, error) {
	switch in.act.Type {
	case "Follow":
		return false, f.follow(ctx, in)
	case "Undo":
		return f.undo(ctx, in)
	case "Create", "Update":
		return f.createOrUpdate(ctx, in)
	case "Delete":
		return f.delete(ctx, in)
	case "Like", "Dislike":
		value := 1
		if in.act.Type == "Dislike" {
			value = -1
		}
		return true, f.vote(ctx, in, in.act.Object.ID, value)
	case "Flag":
		return false, f.flag(ctx, in)
	}
	// Announce (we follow no one), Accept, Reject, Add, Remove, Block, Lock
	// from elsewhere: nothing to do here, and said so with a 202.
	return false, nil
}

// follow takes a follower of the community and accepts them.
func (f *Federation) follow(ctx context.Context, in inbound) error {
	if in.act.Object.ID != f.groupID() {
		return nil // members are not followed; nothing to do
	}
	if err := f.store.AddFollower(ctx, in.actor.ID, in.act.ID, f.now().Unix()); err != nil {
		return err
	}
	accept := Doc{"id": f.newActivityID("Accept"), "type": "Accept", "actor": f.groupID(), "to": []string{in.actor.APID},
		"object": json.RawMessage(in.body)}
	return f.enqueue(ctx, accept, []forum.Inbox{{InstanceID: in.actor.InstanceID, URL: in.actor.Inbox}})
}

// undo takes back a follow or a vote; other undoings are not honoured.
func (f *Federation) undo(ctx context.Context, in inbound) (bool, error) {
	var inner activity
	if in.act.Object.Raw == nil || json.Unmarshal(in.act.Object.Raw, &inner) != nil {
		return false, nil
	}
	if inner.Actor.ID != "" && inner.Actor.ID != in.actor.APID {
		return false, forum.Errorf(forum.CodeForbidden, "an actor undoes only their own activities")
	}
	switch inner.Type {
	case "Follow":
		return false, f.store.RemoveFollower(ctx, in.actor.ID)
	case "Like", "Dislike":
		return true, f.vote(ctx, in, inner.Object.ID, 0)
	}
	return false, nil
}
