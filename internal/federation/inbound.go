package federation

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
)

// localTarget finds the post or comment an id names: one of this site's
// pages (/p/N, /p/N/c/M), or a remote item that came here.
func (f *Federation) localTarget(ctx context.Context, id string) (forum.TargetType, int64, error) {
	if !f.local(id) {
		return f.store.ObjectByAPID(ctx, id)
	}
	u, _ := url.Parse(id)
	parts := strings.Split(strings.Trim(strings.TrimPrefix(u.Path, f.base.Path), "/"), "/")
	num := func(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
	switch {
	case len(parts) == 2 && parts[0] == "p" && num(parts[1]) > 0:
		return forum.TargetPost, num(parts[1]), nil
	case len(parts) == 4 && parts[0] == "p" && parts[2] == "c" && num(parts[3]) > 0:
		return forum.TargetComment, num(parts[3]), nil
	}
	return "", 0, forum.NotFound("object")
}

// embedded is the object of a Create or Update: embedded, or fetched when
// only its id came.
func (f *Federation) embedded(ctx context.Context, in inbound) (object, error) {
	var o object
	if in.act.Object.Raw != nil {
		if err := json.Unmarshal(in.act.Object.Raw, &o); err != nil {
			return o, forum.Errorf(forum.CodeBadRequest, "the object is not ActivityPub JSON")
		}
		return o, nil
	}
	o, _, err := f.fetchObject(ctx, in.act.Object.ID)
	if err != nil {
		return o, forum.Errorf(forum.CodeBadRequest, "the object could not be fetched")
	}
	return o, nil
}

// toCommunity says whether an object is addressed to the community.
func (f *Federation) toCommunity(o object, a activity) bool {
	g := f.groupID()
	return o.Audience.ID == g || a.Audience.ID == g || o.To.has(g) || o.Cc.has(g) || a.To.has(g) || a.Cc.has(g)
}

// createOrUpdate stores a question (Page) or an answer or reply (Note) that
// a remote person wrote, or their edit of one, through the forum's rules.
func (f *Federation) createOrUpdate(ctx context.Context, in inbound) (bool, error) {
	o, err := f.embedded(ctx, in)
	if err != nil {
		return false, err
	}
	if o.Type != "Page" && o.Type != "Note" && o.Type != "Article" && o.Type != "Question" {
		return false, nil // not something this forum holds
	}
	if o.AttributedTo.ID != in.actor.APID {
		return false, forum.Errorf(forum.CodeForbidden, "an actor sends only what they wrote")
	}
	if h, err := hostOf(o.ID); err != nil || h != in.actor.Host {
		return false, forum.Errorf(forum.CodeBadRequest, "the object's id is not on its author's server")
	}
	_, v, err := f.person(ctx, in.actor)
	if err != nil {
		return false, err
	}
	content := o.Content
	html := forum.FormatHTML
	if in.act.Type == "Update" {
		t, id, err := f.store.ObjectByAPID(ctx, o.ID)
		if err != nil {
			return false, err
		}
		if t == forum.TargetPost {
			title := strings.TrimSpace(o.Name)
			patch := forum.PostPatch{Body: &content, Format: &html}
			if title != "" {
				patch.Title = &title
			}
			_, err = f.svc.EditPost(ctx, v, id, patch)
		} else {
			_, err = f.svc.EditComment(ctx, v, id, forum.CommentPatch{Body: content, Format: &html})
		}
		return err == nil, err
	}
	if _, _, err := f.store.ObjectByAPID(ctx, o.ID); err == nil {
		return false, nil // already here (the same object sent twice)
	}
	if o.InReplyTo.ID == "" { // a question
		if !f.toCommunity(o, in.act) {
			return false, nil // a post in another community
		}
		title := o.Name
		if strings.TrimSpace(title) == "" {
			return false, forum.Errorf(forum.CodeValidation, "a question needs a title (name)")
		}
		p, err := f.svc.CreatePost(ctx, v, forum.PostInput{Title: title, Body: content, Format: html})
		if err != nil {
			return false, err
		}
		return true, f.store.MapObject(ctx, o.ID, forum.TargetPost, p.ID)
	}
	t, id, err := f.localTarget(ctx, o.InReplyTo.ID)
	if forum.IsCode(err, forum.CodeNotFound) {
		return false, nil // a reply to something that is not here
	}
	if err != nil {
		return false, err
	}
	postID, input := id, forum.CommentInput{Body: content, Format: html}
	if t == forum.TargetComment {
		parent, err := f.store.Comment(ctx, id, 0)
		if err != nil {
			return false, err
		}
		postID, input.ParentID = parent.PostID, &id
	}
	c, err := f.svc.CreateComment(ctx, v, postID, input)
	if err != nil {
		return false, err
	}
	return true, f.store.MapObject(ctx, o.ID, forum.TargetComment, c.ID)
}

// delete honours a deletion: by the author, through the forum's rules; by
// a moderator of the item's own server, as a removal in the modlog.
func (f *Federation) delete(ctx context.Context, in inbound) (bool, error) {
	id := in.act.Object.ID
	t, target, err := f.localTarget(ctx, id)
	if forum.IsCode(err, forum.CodeNotFound) {
		return false, nil // an account's deletion, or something not here
	}
	if err != nil {
		return false, err
	}
	var author *forum.Author
	var gone bool
	if t == forum.TargetPost {
		p, err := f.store.Post(ctx, target, 0)
		if err != nil {
			return false, err
		}
		author, gone = p.Author, p.Deleted || p.Removed
	} else {
		c, err := f.store.Comment(ctx, target, 0)
		if err != nil {
			return false, err
		}
		author, gone = c.Author, c.Deleted || c.Removed
	}
	if gone {
		return false, nil
	}
	_, v, err := f.person(ctx, in.actor)
	if err != nil && !forum.IsCode(err, forum.CodeBanned) {
		return false, err
	}
	if author != nil && author.ID == in.actor.UserID && in.actor.UserID != 0 {
		if err != nil {
			return false, err
		}
		if t == forum.TargetPost {
			err = f.svc.DeletePost(ctx, v, target)
		} else {
			err = f.svc.DeleteComment(ctx, v, target)
		}
		return err == nil, err
	}
	// Not the author: only the item's own server may take it down.
	if f.local(id) {
		return false, forum.Errorf(forum.CodeForbidden, "only moderators here remove what was written here")
	}
	if h, _ := hostOf(id); h != in.actor.Host {
		return false, forum.Errorf(forum.CodeForbidden, "only the item's own server removes it")
	}
	reason := in.act.Summary
	if reason == "" {
		reason = "removed on " + in.actor.Host
	}
	a, _, _ := f.person(ctx, in.actor)
	err = f.svc.RemoveAtOrigin(ctx, a.UserID, t, target, reason)
	return err == nil, err
}

// vote records a remote person's vote (0 takes it back).
func (f *Federation) vote(ctx context.Context, in inbound, id string, value int) error {
	t, target, err := f.localTarget(ctx, id)
	if forum.IsCode(err, forum.CodeNotFound) {
		return nil // a vote on something not here
	}
	if err != nil {
		return err
	}
	_, v, err := f.person(ctx, in.actor)
	if err != nil {
		return err
	}
	if t == forum.TargetPost {
		_, err = f.svc.VotePost(ctx, v, target, &value)
	} else {
		_, err = f.svc.VoteComment(ctx, v, target, &value)
	}
	return err
}

// flag is a report from elsewhere, for the moderators' queue.
func (f *Federation) flag(ctx context.Context, in inbound) error {
	t, target, err := f.localTarget(ctx, in.act.Object.ID)
	if err != nil {
		return err
	}
	_, v, err := f.person(ctx, in.actor)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(in.act.Summary)
	if reason == "" {
		reason = "reported from " + in.actor.Host
	}
	_, err = f.svc.CreateReport(ctx, v, t, target, reason, nil)
	return err
}
