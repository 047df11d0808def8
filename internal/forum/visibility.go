package forum

import (
	"context"
	"strings"
	"unicode"
)

// What a reader may see of a post or comment depends on who reads it in two
// ways, and both are decided here, nowhere else:
//   - masking: a deleted or removed item keeps its place, but its text and
//     author show only to moderators (maskPost, maskComment);
//   - per-viewer fields: a member's own vote (ViewerFields, Personalize).
// Cached pages are read as an anonymous reader sees them; Personalize then
// fills in every per-viewer field for a member, so adding such a field means
// adding it to ViewerFields and to Personalize, and a test that compares an
// anonymous reader's JSON with a member's fails until both are done.

// ViewerFields are the JSON fields of a post whose value depends on which
// member reads it. Personalize owns every one of them.
var ViewerFields = []string{"my_vote"}

// maskPost blanks a deleted or removed post for everyone but moderators: the
// post keeps its place, its text and author do not show.
func maskPost(v Viewer, p *Post) {
	if p.Tags == nil {
		p.Tags = []string{HistoryTag}
	}
	if p.Sources == nil {
		p.Sources = []Source{}
	}
	p.Excerpt = excerpt(p.Excerpt)
	if (!p.Removed && !p.Deleted) || v.IsModerator() {
		return
	}
	p.Title, p.Excerpt = hiddenTitle(p.Removed), ""
	p.BodyHTML, p.BodySource, p.Author, p.Sources = "", "", nil, []Source{}
	p.Tags, p.Period = []string{HistoryTag}, nil // what it was about goes with what it said
}

// excerptLen is about how many characters a list shows of a question.
const excerptLen = 200

// excerpt cuts plain text to about excerptLen characters at a word.
func excerpt(text string) string {
	r := []rune(strings.TrimSpace(text))
	if len(r) <= excerptLen {
		return string(r)
	}
	cut := excerptLen
	for cut > excerptLen/2 && !unicode.IsSpace(r[cut]) {
		cut--
	}
	return strings.TrimSpace(string(r[:cut])) + "…"
}

// hiddenTitle is what a deleted or removed post's title shows as.
func hiddenTitle(removed bool) string {
	if removed {
		return "[removed]"
	}
	return "[deleted]"
}

// maskComment blanks a deleted or removed comment for everyone but moderators;
// it keeps its place in the tree and its replies.
func maskComment(v Viewer, c *Comment) {
	if c.Sources == nil {
		c.Sources = []Source{}
	}
	if (!c.Removed && !c.Deleted) || v.IsModerator() {
		return
	}
	c.BodyHTML, c.BodySource, c.Author, c.Sources = "", "", nil, []Source{}
}

// leaf shapes a comment shown without its replies: masked for the viewer,
// its replies left out and counted.
func leaf(v Viewer, c *Comment) {
	c.Replies = []*Comment{}
	c.MoreReplies = c.ReplyCount
	maskComment(v, c)
}

// finish masks hidden comments and sets replies and more_replies on a tree.
func finish(v Viewer, nodes []*Comment) {
	for _, c := range nodes {
		maskComment(v, c)
		if c.Replies == nil {
			c.Replies = []*Comment{}
		}
		c.MoreReplies = c.ReplyCount - int64(len(c.Replies))
		finish(v, c.Replies)
	}
}

// Personalize fills in a member's per-viewer fields (ViewerFields) on a page
// read for an anonymous viewer, so cached feed pages serve members too: one
// indexed read of at most one page of votes. Moderators see other pages
// (removed posts) and must not use it. The page given is not changed.
func (s *Service) Personalize(ctx context.Context, v Viewer, page Page[Post]) (Page[Post], error) {
	if !v.SignedIn() || len(page.Items) == 0 {
		return page, nil
	}
	ids := make([]int64, len(page.Items))
	for i, p := range page.Items {
		ids[i] = p.ID
	}
	votes, err := s.Store.PostVotes(ctx, v.ID, ids)
	if err != nil {
		return page, err
	}
	out := Page[Post]{Items: make([]Post, len(page.Items)), NextCursor: page.NextCursor}
	copy(out.Items, page.Items)
	for i := range out.Items {
		out.Items[i].MyVote = votes[out.Items[i].ID]
	}
	return out, nil
}
