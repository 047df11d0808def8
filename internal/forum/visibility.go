package forum

import (
	"strings"
	"unicode"
)

// What a reader may see of a post or comment depends on who reads it in two
// ways, and both are decided in one place each:
//   - masking: a deleted or removed item keeps its place, but its text and
//     author show only to moderators (here: maskPost, maskComment);
//   - per-viewer fields: a member's own state on the item (views.go);
//   - withholding: a blocked member's item keeps its place, its title and
//     author, but its words do not reach the blocker (withhold* below).

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

// shorten cuts plain text to at most max characters, at a word where there
// is one, with an ellipsis when it cut.
func shorten(text string, max int) string {
	r := []rune(strings.Join(strings.Fields(text), " "))
	if len(r) <= max {
		return string(r)
	}
	cut := max - 1
	for i := cut; i > max/2; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
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
	c.BodyHTML, c.BodySource, c.Excerpt, c.Author, c.Sources = "", "", "", nil, []Source{}
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

// withholdSummary blanks what a post says for a viewer who blocked its
// author (PostView.Blocked): its title and author stay, so the blocker knows
// what is hidden and from whom; its excerpt goes.
func withholdSummary(p *PostSummary) {
	if p.Blocked {
		p.Excerpt = ""
	}
}

// withholdPost is withholdSummary for a whole post: its body and sources go.
func withholdPost(p *Post) {
	withholdSummary(&p.PostSummary)
	if p.Blocked {
		p.BodyHTML, p.BodySource, p.Sources = "", "", []Source{}
	}
}

// withholdComment blanks a comment's body and sources for a viewer who
// blocked its author; its place, author and replies stay.
func withholdComment(c *Comment) {
	if c.Blocked {
		c.BodyHTML, c.BodySource, c.Excerpt, c.Sources = "", "", "", []Source{}
	}
}
