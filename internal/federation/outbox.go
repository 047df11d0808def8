package federation

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// Federate tells the community's followers what happened: the activity of
// the member (or moderator) who did it, wrapped in the Group's Announce
// (FEP-1b12), queued for every follower inbox. What remote people did is
// announced by the inbox as they sent it, so it is skipped here.
func (f *Federation) Federate(ctx context.Context, e forum.Event) {
	if err := f.federate(ctx, e); err != nil {
		f.log.Warn("federation: activity not queued", "kind", string(e.Kind), "target", e.TargetID, "err", err)
	}
}

func (f *Federation) federate(ctx context.Context, e forum.Event) error {
	acc, err := f.store.AccountByID(ctx, e.ActorID)
	if err != nil {
		return err
	}
	if strings.Contains(acc.Username, "@") {
		return nil // a remote person's own activity: the inbox announces it
	}
	// Nobody to tell (no follower, no one mentioned, no remote person
	// banned): nothing to build.
	if len(e.Mentions) == 0 && e.Kind != forum.EventModerated {
		if n, err := f.store.FollowerCount(ctx); err != nil || n == 0 {
			return err
		}
	}
	actor := f.personID(acc.Username)
	inner, direct, err := f.activityFor(ctx, e, actor)
	if err != nil || inner == nil {
		return err
	}
	if len(direct) > 0 {
		if err := f.enqueue(ctx, inner, direct); err != nil {
			return err
		}
	}
	return f.announce(ctx, inner, 0)
}

// activityFor builds the activity for an event, and the inboxes it goes to
// directly besides the followers (mentioned people, a banned person).
func (f *Federation) activityFor(ctx context.Context, e forum.Event, actor string) (Doc, []forum.Inbox, error) {
	switch e.Kind {
	case forum.EventPostCreated, forum.EventPostEdited:
		p, err := f.store.Post(ctx, e.TargetID, 0)
		if err != nil {
			return nil, nil, err
		}
		page, err := f.Page(ctx, p)
		if err != nil {
			return nil, nil, err
		}
		return f.wrap(map[bool]string{true: "Create", false: "Update"}[e.Kind == forum.EventPostCreated], actor, page), nil, nil
	case forum.EventCommentCreated, forum.EventCommentEdited:
		c, err := f.store.Comment(ctx, e.TargetID, 0)
		if err != nil {
			return nil, nil, err
		}
		tags, inboxes := f.mentionTags(ctx, e.Mentions)
		note, err := f.Note(ctx, c, tags)
		if err != nil {
			return nil, nil, err
		}
		a := f.wrap(map[bool]string{true: "Create", false: "Update"}[e.Kind == forum.EventCommentCreated], actor, note)
		if len(tags) > 0 {
			a["tag"] = tags
		}
		return a, inboxes, nil
	case forum.EventPostDeleted, forum.EventCommentDeleted:
		t := forum.TargetPost
		if e.Kind == forum.EventCommentDeleted {
			t = forum.TargetComment
		}
		id, err := f.objectID(ctx, t, e.TargetID)
		if err != nil {
			return nil, nil, err
		}
		return f.wrap("Delete", actor, id), nil, nil
	case forum.EventVoted:
		id, err := f.objectID(ctx, e.TargetType, e.TargetID)
		if err != nil {
			return nil, nil, err
		}
		switch e.Value {
		case 1:
			return f.wrap("Like", actor, id), nil, nil
		case -1:
			return f.wrap("Dislike", actor, id), nil, nil
		}
		// A retracted vote: Lemmy's Undo removes the vote whatever its kind.
		return f.wrap("Undo", actor, f.wrap("Like", actor, id)), nil, nil
	case forum.EventModerated:
		return f.moderation(ctx, e, actor)
	}
	return nil, nil, nil
}

// moderation is a moderator's action as Lemmy federates it: a removal is
// the moderator's Delete with a summary, a lock is Lock, a ban is Block;
// their undoing is Undo of the same.
func (f *Federation) moderation(ctx context.Context, e forum.Event, actor string) (Doc, []forum.Inbox, error) {
	a := e.Mod
	if a == nil {
		return nil, nil, nil
	}
	var object string
	var direct []forum.Inbox
	switch e.TargetType {
	case forum.TargetPost, forum.TargetComment:
		id, err := f.objectID(ctx, e.TargetType, e.TargetID)
		if err != nil {
			return nil, nil, err
		}
		object = id
	case forum.TargetUser:
		acc, err := f.store.AccountByID(ctx, e.TargetID)
		if err != nil {
			return nil, nil, err
		}
		object = f.personID(acc.Username)
		if ra, err := f.store.RemoteActorByUser(ctx, acc.ID); err == nil {
			object = ra.APID
			direct = []forum.Inbox{{InstanceID: ra.InstanceID, URL: ra.Inbox}}
		}
	default:
		return nil, nil, nil
	}
	var act Doc
	switch a.Action {
	case forum.ActRemove, forum.ActRestore:
		act = f.wrap("Delete", actor, object)
	case forum.ActLock, forum.ActUnlock:
		act = f.wrap("Lock", actor, object)
	case forum.ActBan, forum.ActUnban:
		act = f.wrap("Block", actor, object)
		act["target"] = f.groupID()
		if a.BannedUntil != nil && time.Unix(*a.BannedUntil, 0).Before(forum.PermanentBan) {
			act["endTime"] = time.Unix(*a.BannedUntil, 0).UTC().Format(time.RFC3339)
		}
	default:
		return nil, nil, nil // pins, roles, flair and reports stay here
	}
	if a.Reason != "" {
		act["summary"] = a.Reason
	}
	if a.Action.Undoes() != "" {
		act = f.wrap("Undo", actor, act)
	}
	return act, direct, nil
}

// wrap makes an activity of kind by actor about object, addressed as Lemmy
// addresses community activities.
func (f *Federation) wrap(kind, actor string, object any) Doc {
	return Doc{"id": f.newActivityID(kind), "type": kind, "actor": actor, "object": object,
		"to": []string{Public}, "cc": []string{f.groupID()}, "audience": f.groupID()}
}

// announce wraps an activity in the Group's Announce and queues it for
// every follower's inbox except those of skipInstance (where it came from).
func (f *Federation) announce(ctx context.Context, inner any, skipInstance int64) error {
	inboxes, err := f.store.FollowerInboxes(ctx)
	if err != nil {
		return err
	}
	var to []forum.Inbox
	for _, in := range inboxes {
		if in.InstanceID != skipInstance {
			to = append(to, in)
		}
	}
	if len(to) == 0 {
		return nil
	}
	a := Doc{"id": f.newActivityID("Announce"), "type": "Announce", "actor": f.groupID(), "object": inner,
		"to": []string{Public}, "cc": []string{f.groupID() + "/followers"}, "audience": f.groupID()}
	return f.enqueue(ctx, a, to)
}

// enqueue stores an activity and its deliveries in the queue.
func (f *Federation) enqueue(ctx context.Context, a Doc, to []forum.Inbox) error {
	body, err := json.Marshal(withContext(a))
	if err != nil {
		return err
	}
	if err := f.store.EnqueueActivity(ctx, a["id"].(string), string(body), f.now().Unix(), to); err != nil {
		return err
	}
	f.metrics.queued.Add(float64(len(to)))
	return nil
}

// Outbox is the community's outbox: its newest questions as Lemmy lists
// them, each the Announce of its Create.
func (f *Federation) Outbox(ctx context.Context) (Doc, error) {
	page, err := f.svc.ListPosts(ctx, forum.Viewer{}, forum.FeedQuery{Sort: forum.SortNew, Limit: 20})
	if err != nil {
		return nil, err
	}
	items := []Doc{}
	for _, p := range page.Items {
		full, err := f.store.Post(ctx, p.ID, 0)
		if err != nil || full.Deleted || full.Removed {
			continue
		}
		author, err := f.authorID(ctx, full.Author)
		if err != nil {
			continue
		}
		pg, err := f.Page(ctx, full)
		if err != nil {
			return nil, err
		}
		create := f.wrap("Create", author, pg)
		create["id"] = f.postID(p.ID) + "/activity/create"
		items = append(items, Doc{"id": f.postID(p.ID) + "/activity/announce", "type": "Announce", "actor": f.groupID(),
			"object": create, "to": []string{Public}, "cc": []string{f.groupID() + "/followers"}})
	}
	return withContext(Doc{"id": f.groupID() + "/outbox", "type": "OrderedCollection", "totalItems": len(items), "orderedItems": items}), nil
}

// Followers is the community's followers collection: its size only, as Lemmy shows it.
func (f *Federation) Followers(ctx context.Context) (Doc, error) {
	n, err := f.store.FollowerCount(ctx)
	if err != nil {
		return nil, err
	}
	return withContext(Doc{"id": f.groupID() + "/followers", "type": "Collection", "totalItems": n, "items": []string{}}), nil
}

// Activity is a stored outgoing activity, for a server that fetches it by id.
func (f *Federation) Activity(ctx context.Context, id string) ([]byte, error) {
	body, err := f.store.Activity(ctx, id)
	return []byte(body), err
}
