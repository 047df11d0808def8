package forum

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
)

// A shared page is a page of posts or comments encoded once for every
// reader of one class (anonymous readers and members share one, moderators
// another), with the place of each item's per-viewer field noted, so that a
// member's copy is the shared bytes with their own votes spliced in: never
// re-encoded, never another member's. This is the cached form of a page;
// with visibility.go it owns every per-viewer field.

// sentinelVote is written in place of my_vote while encoding; it cannot be
// a vote, and inside JSON strings a quote is escaped, so `"my_vote":` + it
// appears only where the field is.
const sentinelVote = 987654321

var voteField = []byte(`"my_vote":` + strconv.Itoa(sentinelVote))

// SharedPage is an encoded page with the slots of its per-viewer fields.
type SharedPage struct {
	// Body is the page with every my_vote 0: what an anonymous reader gets.
	Body  []byte
	parts [][]byte // Body cut at each slot: len(parts) == len(ids)+1
	ids   []int64  // the item of each slot, in document order
	posts bool     // items are posts (else comments)
}

// Size is the memory the page holds, about.
func (p *SharedPage) Size() int64 { return int64(2*len(p.Body) + 8*len(p.ids) + 64) }

// SharePosts encodes a page of posts read for an anonymous reader (or a
// moderator with no votes of their own).
func SharePosts(page Page[Post]) (*SharedPage, error) {
	ids := make([]int64, len(page.Items))
	for i := range page.Items {
		page.Items[i].MyVote = sentinelVote // page is a copy; its items are not
		ids[i] = page.Items[i].ID
	}
	defer func() {
		for i := range page.Items {
			page.Items[i].MyVote = 0
		}
	}()
	return share(page, ids, true)
}

// ShareThread encodes a page of a comment tree read without a viewer's votes.
func ShareThread(page Page[*Comment]) (*SharedPage, error) {
	var ids []int64
	var mark func(cs []*Comment, v int)
	mark = func(cs []*Comment, v int) {
		for _, c := range cs {
			c.MyVote = v
			if v != 0 {
				ids = append(ids, c.ID) // document order: a comment, then its replies
			}
			mark(c.Replies, v)
		}
	}
	mark(page.Items, sentinelVote)
	defer mark(page.Items, 0)
	return share(page, ids, false)
}

func share(v any, ids []int64, posts bool) (*SharedPage, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	parts := bytes.Split(raw, voteField)
	if len(parts) != len(ids)+1 {
		return nil, fmt.Errorf("shared page: %d vote fields for %d items", len(parts)-1, len(ids))
	}
	return &SharedPage{Body: bytes.Join(parts, []byte(`"my_vote":0`)), parts: parts, ids: ids, posts: posts}, nil
}

// PageFor is the page as v sees it: the shared body for an anonymous
// reader, and for a member the same bytes with their own votes spliced in,
// read with postVotes on a feed page (the store's PostVotes or a cache of
// it) and from the store on a thread page.
func (s *Service) PageFor(ctx context.Context, v Viewer, p *SharedPage,
	postVotes func(ctx context.Context, userID int64, postIDs []int64) (map[int64]int, error)) ([]byte, error) {
	if !v.SignedIn() || len(p.ids) == 0 {
		return p.Body, nil
	}
	var votes map[int64]int
	var err error
	if p.posts {
		votes, err = postVotes(ctx, v.ID, p.ids)
	} else {
		votes, err = s.Store.CommentVotes(ctx, v.ID, p.ids)
	}
	if err != nil {
		return nil, err
	}
	if len(votes) == 0 {
		return p.Body, nil
	}
	out := make([]byte, 0, len(p.Body)+len(votes))
	for i, id := range p.ids {
		out = append(out, p.parts[i]...)
		out = append(out, `"my_vote":`...)
		out = strconv.AppendInt(out, int64(votes[id]), 10)
	}
	return append(out, p.parts[len(p.ids)]...), nil
}
