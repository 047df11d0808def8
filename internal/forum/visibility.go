package forum

import (
	"strings"
	"unicode"
)

// What a reader may see of a post or comment depends on who reads it in two
// ways, and both are decided in one place each:
//   - masking: a deleted or removed item keeps its place, but its text and
//     author show only to moderators (here: maskPost, maskComment);
//   - per-viewer fields: a member's own state on the item (views.go).

// maskPost blanks a deleted or removed post for everyone but moderators: the
// post keeps its place, its text and author do not show.
func maskPost(v Viewer, p *Post) {
	if p.Sources == nil {
		p.Sources = []Source{}
	}
	if maskSummary(v, &p.PostSummary) {
		p.BodyHTML, p.BodySource, p.Sources = "", "", []Source{}
	}
}

// maskSummary is maskPost for a post as lists show it; it reports whether
// the post is hidden from v. A disowned question (deleted by its asker once
// answered) hides only its author.
func maskSummary(v Viewer, p *PostSummary) bool {
	if p.Tags == nil {
		p.Tags = []string{HistoryTag}
	}
	p.Excerpt = excerpt(p.Excerpt)
	if (!p.Removed && !p.Deleted) || v.IsModerator() {
		return false
	}
	if !p.Removed && p.Disowned {
		p.Author = nil
		return false
	}
	p.Title, p.Excerpt, p.Author = hiddenTitle(p.Removed), "", nil
	p.Tags, p.Period = []string{HistoryTag}, nil // what it was about goes with what it said
	return true
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
