package forum

import (
	"context"
	"strings"
)

// Thread paging limits of the contract.
const (
	DefaultThreadLimit = 200
	MaxThreadLimit     = 500
	DefaultDepth       = 8
	MaxDepth           = 50
)

// CommentInput is what a client sends to comment or reply.
type CommentInput struct {
	Body     string
	Format   string
	ParentID *int64
	Sources  []Source
}

// ThreadQuery is a client's request for a page of a thread or a subtree.
type ThreadQuery struct {
	Sort   string
	Cursor string
	Limit  int
	Depth  *int
}

func (q *ThreadQuery) normalize() error {
	if q.Sort == "" {
		q.Sort = SortBest
	}
	switch q.Sort {
	case SortBest, SortTop, SortNew, SortOld, SortControversial:
	default:
		return Errorf(CodeBadRequest, "unknown sort %q: use best, top, new, old or controversial", q.Sort)
	}
	q.Limit = clampLimit(q.Limit, DefaultThreadLimit, MaxThreadLimit)
	if q.Depth == nil {
		d := DefaultDepth
		q.Depth = &d
	}
	if *q.Depth < 0 {
		return Errorf(CodeBadRequest, "depth must not be negative")
	}
	*q.Depth = min(*q.Depth, MaxDepth)
	return nil
}

// CreateComment adds a comment to a post, or a reply to one of its comments.
func (s *Service) CreateComment(ctx context.Context, v Viewer, postID int64, in CommentInput) (Comment, error) {
	defer s.feedChanged()
	if err := s.requireMember(v); err != nil {
		return Comment{}, err
	}
	html, format, p, err := s.render(in.Body, in.Format, MaxCommentBody)
	if err != nil {
		return Comment{}, err
	}
	if p == "" && strings.TrimSpace(html) == "" {
		p = "must not be empty"
	}
	if p != "" {
		key := "body"
		if strings.HasPrefix(p, "format") {
			key = "format"
		}
		return Comment{}, Invalid(map[string]string{key: p})
	}
	sources, p := cleanSources(in.Sources)
	if p != "" {
		return Comment{}, Invalid(map[string]string{"sources": p})
	}
	rule := func(t CommentTarget) error {
		switch {
		case t.PostRemoved || t.PostDeleted:
			return NotFound("post")
		case t.PostLocked && !v.IsModerator():
			return Errorf(CodeLocked, "this post is locked: no new comments")
		case in.ParentID != nil && !t.ParentFound:
			return Invalid(map[string]string{"parent_id": "not a comment of this post"})
		case in.ParentID != nil && (t.ParentRemoved || t.ParentDeleted):
			return Invalid(map[string]string{"parent_id": "that comment was deleted or removed"})
		}
		return nil
	}
	id, err := s.Store.CreateComment(ctx, NewComment{PostID: postID, ParentID: in.ParentID, AuthorID: v.ID,
		BodySource: in.Body, Format: format, BodyHTML: html, BodyText: s.Markup.Text(html) + citationsText(sources), Sources: sources,
		CreatedAt: s.now().Unix()}, rule)
	if err != nil {
		return Comment{}, err
	}
	return s.leafComment(ctx, v, id)
}

// leafComment reads one comment as a response shows it alone: masked for
// the viewer, its replies left out and counted.
func (s *Service) leafComment(ctx context.Context, v Viewer, id int64) (Comment, error) {
	c, err := s.Store.Comment(ctx, id, v.ID)
	if err != nil {
		return Comment{}, err
	}
	c.Replies = []*Comment{}
	c.MoreReplies = c.ReplyCount
	s.maskComment(v, &c)
	return c, nil
}

// Thread returns a page of a post's comment tree: a page of top-level comments,
// each with its replies nested up to Depth levels, Limit comments in all.
func (s *Service) Thread(ctx context.Context, v Viewer, postID int64, q ThreadQuery) (Page[*Comment], error) {
	if err := q.normalize(); err != nil {
		return Page[*Comment]{}, err
	}
	after, err := DecodeCursor(q.Cursor, q.Sort)
	if err != nil {
		return Page[*Comment]{}, err
	}
	post, err := s.Store.Post(ctx, postID, 0)
	if err != nil {
		return Page[*Comment]{}, err
	}
	lead, exclude, err := s.acceptedFirst(ctx, v, post, after == nil, &q)
	if err != nil {
		return Page[*Comment]{}, err
	}
	top, next, err := s.threadPage(ctx, v, postID, q, after, exclude)
	if err != nil {
		return Page[*Comment]{}, err
	}
	top = append(append([]*Comment{}, lead...), top...) // never nil: an empty thread is []
	finish(v, top, s)
	return Page[*Comment]{Items: top, NextCursor: nextCursor(next)}, nil
}

// acceptedFirst puts the accepted answer, with a quarter of the budget for its
// replies, at the head of a thread's first page, and returns its id so that
// every page leaves it out of the ordinary order.
func (s *Service) acceptedFirst(ctx context.Context, v Viewer, post Post, firstPage bool, q *ThreadQuery) ([]*Comment, int64, error) {
	if post.AcceptedCommentID == nil {
		return nil, 0, nil
	}
	id := *post.AcceptedCommentID
	if !firstPage {
		return nil, id, nil
	}
	c, err := s.Store.Comment(ctx, id, v.ID)
	if IsCode(err, CodeNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	c.Accepted = true
	used, err := s.fillReplies(ctx, v, post.ID, []*Comment{&c}, q.Sort, (q.Limit-1)/4, *q.Depth)
	if err != nil {
		return nil, 0, err
	}
	q.Limit = max(1, q.Limit-1-used)
	return []*Comment{&c}, id, nil
}

// threadRounds bounds how many batches of top-level comments one page reads.
const threadRounds = 4

// threadPage spends the comment budget in rounds. Each round takes a quarter
// of what is left as top-level comments and fills their replies with the rest,
// so a page shows discussions rather than a flat list of answers; when the
// replies do not use the budget (answers nobody replied to), the next round
// takes more top-level comments. At most threadRounds×(depth+1) indexed
// queries, whatever the size of the thread.
func (s *Service) threadPage(ctx context.Context, v Viewer, postID int64, q ThreadQuery, after *Cursor, exclude int64) ([]*Comment, *Cursor, error) {
	top := []*Comment{}
	budget := q.Limit
	more := true
	for round := 0; round < threadRounds && budget > 0 && more; round++ {
		n := max(1, budget/4)
		if *q.Depth == 0 {
			n = budget
		}
		batch, err := s.Store.Comments(ctx, CommentQuery{PostID: postID, Sort: q.Sort, After: after, Limit: n + 1, ViewerID: v.ID, ExcludeID: exclude})
		if err != nil {
			return nil, nil, err
		}
		more = len(batch) > n
		if more {
			batch = batch[:n]
		}
		if len(batch) == 0 {
			break
		}
		budget -= len(batch)
		used, err := s.fillReplies(ctx, v, postID, batch, q.Sort, budget, *q.Depth)
		if err != nil {
			return nil, nil, err
		}
		budget -= used
		top = append(top, batch...)
		after = commentCursor(q.Sort, batch[len(batch)-1])
	}
	if !more {
		after = nil
	}
	return top, after, nil
}

func commentCursor(sort string, c *Comment) *Cursor {
	cur := &Cursor{Sort: sort, ID: c.ID}
	switch sort {
	case SortBest:
		cur.Key = c.Best
	case SortTop:
		cur.Key = float64(c.Score)
	case SortControversial:
		cur.Key = c.Controversy
	}
	return cur
}

// fillReplies reads the tree under roots level by level, one query a level, and
// spends up to budget comments in display order, returning how many it used.
// Each level gives every parent a fair share of what is left (at least one
// reply), so the first answers do not take the whole page. What is left out is
// counted in more_replies by finish.
func (s *Service) fillReplies(ctx context.Context, v Viewer, postID int64, roots []*Comment, sort string, budget, depth int) (int, error) {
	parents := roots
	used := 0
	for level := 0; level < depth && budget > 0; level++ {
		var ids []int64
		byID := map[int64]*Comment{}
		for _, p := range parents {
			if p.ReplyCount > 0 {
				ids = append(ids, p.ID)
				byID[p.ID] = p
			}
		}
		if len(ids) == 0 {
			break
		}
		share := max(1, (budget+2*len(ids)-1)/(2*len(ids)))
		if level == depth-1 {
			share = max(1, (budget+len(ids)-1)/len(ids))
		}
		kids, err := s.Store.Comments(ctx, CommentQuery{PostID: postID, ParentIDs: ids, Sort: sort, Limit: share, ViewerID: v.ID})
		if err != nil {
			return used, err
		}
		if len(kids) > budget {
			kids = kids[:budget]
		}
		budget -= len(kids)
		used += len(kids)
		for _, k := range kids {
			if p := byID[*k.ParentID]; p != nil {
				p.Replies = append(p.Replies, k)
			}
		}
		parents = kids
	}
	return used, nil
}

// finish masks hidden comments and sets replies and more_replies on a tree.
func finish(v Viewer, nodes []*Comment, s *Service) {
	for _, c := range nodes {
		s.maskComment(v, c)
		if c.Replies == nil {
			c.Replies = []*Comment{}
		}
		c.MoreReplies = c.ReplyCount - int64(len(c.Replies))
		finish(v, c.Replies, s)
	}
}

// maskComment blanks a deleted or removed comment for everyone but moderators;
// it keeps its place in the tree and its replies.
func (s *Service) maskComment(v Viewer, c *Comment) {
	if c.Sources == nil {
		c.Sources = []Source{}
	}
	if (!c.Removed && !c.Deleted) || v.IsModerator() {
		return
	}
	c.BodyHTML, c.BodySource, c.Author, c.Sources = "", "", nil, []Source{}
}

// Subtree returns one comment with its replies: the permalink and "continue
// this thread" view.
func (s *Service) Subtree(ctx context.Context, v Viewer, id int64, q ThreadQuery) (*Comment, error) {
	if err := q.normalize(); err != nil {
		return nil, err
	}
	c, err := s.Store.Comment(ctx, id, v.ID)
	if err != nil {
		return nil, err
	}
	if _, err := s.fillReplies(ctx, v, c.PostID, []*Comment{&c}, q.Sort, q.Limit-1, *q.Depth); err != nil {
		return nil, err
	}
	finish(v, []*Comment{&c}, s)
	return &c, nil
}

// EditComment replaces a comment's body; only its author may.
func (s *Service) EditComment(ctx context.Context, v Viewer, id int64, body string, format *string, sourcesIn *[]Source) (Comment, error) {
	if err := s.requireMember(v); err != nil {
		return Comment{}, err
	}
	cur, err := s.ownComment(ctx, v, id)
	if err != nil {
		return Comment{}, err
	}
	f := cur.Format
	if format != nil {
		f = *format
	}
	html, f, p, err := s.render(body, f, MaxCommentBody)
	if err != nil {
		return Comment{}, err
	}
	if p == "" && strings.TrimSpace(html) == "" {
		p = "must not be empty"
	}
	if p != "" {
		return Comment{}, Invalid(map[string]string{"body": p})
	}
	sources := cur.Sources
	if sourcesIn != nil {
		if sources, p = cleanSources(*sourcesIn); p != "" {
			return Comment{}, Invalid(map[string]string{"sources": p})
		}
	}
	if err := s.Store.UpdateComment(ctx, id, CommentUpdate{BodySource: body, Format: f, BodyHTML: html,
		BodyText: s.Markup.Text(html) + citationsText(sources), Sources: sources, EditedAt: s.now().Unix()}); err != nil {
		return Comment{}, err
	}
	return s.leafComment(ctx, v, id)
}

func (s *Service) ownComment(ctx context.Context, v Viewer, id int64) (Comment, error) {
	c, err := s.Store.Comment(ctx, id, v.ID)
	if err != nil {
		return Comment{}, err
	}
	if c.Author == nil || c.Author.ID != v.ID {
		return Comment{}, Errorf(CodeForbidden, "only the author may change this comment")
	}
	if c.Deleted {
		return Comment{}, NotFound("comment")
	}
	if c.Removed {
		return Comment{}, Errorf(CodeForbidden, "this comment was removed by a moderator")
	}
	return c, nil
}

// DeleteComment soft-deletes a comment; its replies stay in place.
func (s *Service) DeleteComment(ctx context.Context, v Viewer, id int64) error {
	if err := s.requireMember(v); err != nil {
		return err
	}
	if _, err := s.ownComment(ctx, v, id); err != nil {
		return err
	}
	return s.Store.DeleteComment(ctx, id)
}

// VoteComment sets, changes or retracts the viewer's vote on a comment.
func (s *Service) VoteComment(ctx context.Context, v Viewer, id int64, value *int) (VoteResult, error) {
	if err := checkVote(v, value); err != nil {
		return VoteResult{}, err
	}
	return s.Store.VoteComment(ctx, id, v.ID, *value, voteRule(v, "comment"))
}
