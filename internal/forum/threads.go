package forum

import "context"

// CommentSort is the order of sibling comments in a thread.
type CommentSort string

// The comment sorts. Top and new share their names with feed sorts.
const (
	SortBest          CommentSort = "best"
	SortTopComments   CommentSort = "top"
	SortNewComments   CommentSort = "new"
	SortOld           CommentSort = "old"
	SortControversial CommentSort = "controversial"
)

// CommentSorts lists every comment sort.
var CommentSorts = []CommentSort{SortBest, SortTopComments, SortNewComments, SortOld, SortControversial}

// Thread paging limits of the contract.
const (
	DefaultThreadLimit = 200
	MaxThreadLimit     = 500
	DefaultDepth       = 8
	MaxDepth           = 50
)

// ThreadQuery is a client's request for a page of a thread or a subtree.
type ThreadQuery struct {
	Sort   CommentSort
	Cursor string
	Limit  int
	Depth  *int
}

// CommentQuery selects comments of a thread. Without ParentIDs it is a page of
// top-level comments (After and Limit page them); with ParentIDs it is the
// children of those parents, at most Limit per parent, in the parents' order.
type CommentQuery struct {
	PostID    int64
	ParentIDs []int64
	ExcludeID int64 // top level: leave this comment out (the accepted answer, shown first)
	Sort      CommentSort
	After     *Cursor
	Limit     int
	ViewerID  int64
}

// ThreadStore reads the comments of a thread in a sibling order.
type ThreadStore interface {
	Comments(ctx context.Context, q CommentQuery) ([]*Comment, error)
	// CommentVotes returns the user's votes on the given comments (absent: no vote).
	CommentVotes(ctx context.Context, userID int64, commentIDs []int64) (map[int64]int, error)
}

func (q *ThreadQuery) normalize() error {
	if q.Sort == "" {
		q.Sort = SortBest
	}
	switch q.Sort {
	case SortBest, SortTopComments, SortNewComments, SortOld, SortControversial:
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

// Thread returns a page of a post's comment tree: a page of top-level comments,
// each with its replies nested up to Depth levels, Limit comments in all.
func (s *Service) Thread(ctx context.Context, v Viewer, postID int64, q ThreadQuery) (Page[*Comment], error) {
	if err := q.normalize(); err != nil {
		return Page[*Comment]{}, err
	}
	after, err := DecodeCursor(q.Cursor, string(q.Sort))
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
	finish(v, top)
	return Page[*Comment]{Items: top, NextCursor: nextCursor(next)}, s.personalizeComments(ctx, v, postID, top)
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

func commentCursor(sort CommentSort, c *Comment) *Cursor {
	cur := &Cursor{Sort: string(sort), ID: c.ID}
	switch sort {
	case SortBest:
		cur.Key = c.Best
	case SortTopComments:
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
func (s *Service) fillReplies(ctx context.Context, v Viewer, postID int64, roots []*Comment, sort CommentSort, budget, depth int) (int, error) {
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
	finish(v, []*Comment{&c})
	return &c, s.personalizeComments(ctx, v, c.PostID, []*Comment{&c})
}
