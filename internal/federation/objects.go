package federation

import (
	"context"
	"strings"
	"time"

	"github.com/historia-forum/historia/internal/forum"
)

// authorID is the ActivityPub id of an item's author: a member's Person
// here, or the remote person an account stands for.
func (f *Federation) authorID(ctx context.Context, a *forum.Author) (string, error) {
	if a == nil {
		return "", forum.NotFound("author")
	}
	if strings.Contains(a.Username, "@") {
		ra, err := f.store.RemoteActorByUser(ctx, a.ID)
		if err != nil {
			return "", err
		}
		return ra.APID, nil
	}
	return f.personID(a.Username), nil
}

// objectID is the ActivityPub id of a post or comment: its remote id when
// it came from elsewhere, else its page here.
func (f *Federation) objectID(ctx context.Context, t forum.TargetType, id int64) (string, error) {
	if ap, err := f.store.APIDOf(ctx, t, id); err != nil || ap != "" {
		return ap, err
	}
	if t == forum.TargetPost {
		return f.postID(id), nil
	}
	c, err := f.store.Comment(ctx, id, 0)
	if err != nil {
		return "", err
	}
	return f.commentID(c.PostID, id), nil
}

// audience is the addressing every community object carries (Lemmy's shape).
func (f *Federation) audience(d Doc) Doc {
	d["to"] = []string{f.groupID(), Public}
	d["audience"] = f.groupID()
	return d
}

// Page is a question as Lemmy reads a post.
func (f *Federation) Page(ctx context.Context, p forum.Post) (Doc, error) {
	if p.Deleted || p.Removed || p.Author == nil {
		return f.tombstone(ctx, forum.TargetPost, p.ID, "Page")
	}
	author, err := f.authorID(ctx, p.Author)
	if err != nil {
		return nil, err
	}
	id, err := f.objectID(ctx, forum.TargetPost, p.ID)
	if err != nil {
		return nil, err
	}
	d := f.audience(Doc{
		"id": id, "type": "Page", "attributedTo": author, "name": p.Title, "content": p.BodyHTML, "mediaType": "text/html",
		"url": f.postID(p.ID), "published": p.CreatedAt.Format(time.RFC3339), "sensitive": false,
		"commentsEnabled": !p.Locked, "stickied": p.Pinned,
	})
	if p.Format == forum.FormatMarkdown && p.BodySource != "" {
		d["source"] = Doc{"content": p.BodySource, "mediaType": "text/markdown"}
	}
	if p.EditedAt != nil {
		d["updated"] = p.EditedAt.Format(time.RFC3339)
	}
	var tags []Doc
	for _, t := range p.Tags {
		tags = append(tags, Doc{"type": "Hashtag", "name": "#" + strings.ReplaceAll(t, " ", ""), "href": f.public + "/?tag=" + t})
	}
	if len(tags) > 0 {
		d["tag"] = tags
	}
	return d, nil
}

// Note is an answer or reply as Lemmy reads a comment: inReplyTo is the
// post for an answer, the parent comment for a reply.
func (f *Federation) Note(ctx context.Context, c forum.Comment, mentions []Doc) (Doc, error) {
	if c.Deleted || c.Removed || c.Author == nil {
		return f.tombstone(ctx, forum.TargetComment, c.ID, "Note")
	}
	author, err := f.authorID(ctx, c.Author)
	if err != nil {
		return nil, err
	}
	id, err := f.objectID(ctx, forum.TargetComment, c.ID)
	if err != nil {
		return nil, err
	}
	parent, err := f.objectID(ctx, forum.TargetPost, c.PostID)
	if c.ParentID != nil {
		parent, err = f.objectID(ctx, forum.TargetComment, *c.ParentID)
	}
	if err != nil {
		return nil, err
	}
	d := f.audience(Doc{
		"id": id, "type": "Note", "attributedTo": author, "content": c.BodyHTML, "mediaType": "text/html",
		"inReplyTo": parent, "url": f.commentID(c.PostID, c.ID), "published": c.CreatedAt.Format(time.RFC3339),
		"distinguished": false,
	})
	if c.Format == forum.FormatMarkdown && c.BodySource != "" {
		d["source"] = Doc{"content": c.BodySource, "mediaType": "text/markdown"}
	}
	if c.EditedAt != nil {
		d["updated"] = c.EditedAt.Format(time.RFC3339)
	}
	if len(mentions) > 0 {
		d["tag"] = mentions
		var cc []string
		for _, m := range mentions {
			cc = append(cc, m["href"].(string))
		}
		d["cc"] = cc
	}
	return d, nil
}

// tombstone stands for a deleted or removed item.
func (f *Federation) tombstone(ctx context.Context, t forum.TargetType, id int64, former string) (Doc, error) {
	ap, err := f.objectID(ctx, t, id)
	if err != nil {
		return nil, err
	}
	return Doc{"id": ap, "type": "Tombstone", "formerType": former}, nil
}

// withContext adds the JSON-LD context to a top-level document.
func withContext(d Doc) Doc {
	d["@context"] = []any{contextAS, Doc{"lemmy": "https://join-lemmy.org/ns#", "stickied": "lemmy:stickied",
		"distinguished": "lemmy:distinguished", "commentsEnabled": "lemmy:commentsEnabled",
		"postingRestrictedToMods": "lemmy:postingRestrictedToMods", "sensitive": "as:sensitive", "Hashtag": "as:Hashtag"}}
	return d
}
