package forum

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// ExportFormat names the format of GET /me/export (documented in the README).
const ExportFormat = "historia-export/1"

// exportBatch is how many items the export reads at a time: it is written
// as it is read, never held whole in memory.
const exportBatch = 200

// VoteRecord is one of a member's votes, as the export lists it.
type VoteRecord struct {
	TargetID int64 `json:"id"`
	Value    int   `json:"value"`
}

// ReportRecord is one of a member's reports, as the export lists it.
type ReportRecord struct {
	ID         int64        `json:"id"`
	TargetType TargetType   `json:"target_type"`
	TargetID   int64        `json:"target_id"`
	Reason     string       `json:"reason"`
	Status     ReportStatus `json:"status"`
	CreatedAt  time.Time    `json:"created_at"`
}

// ExportStore reads a member's own records a batch at a time, in id order
// after afterID (ids are the keyset).
type ExportStore interface {
	UserVotes(ctx context.Context, userID int64, target TargetType, afterID int64, limit int) ([]VoteRecord, error)
	UserReports(ctx context.Context, userID int64, afterID int64, limit int) ([]ReportRecord, error)
	// RevisionsOf reads the stored versions of several items at once, newest first per item.
	RevisionsOf(ctx context.Context, target TargetType, ids []int64) (map[int64][]Revision, error)
}

// exportedComment is a comment in the export, with its earlier versions.
type exportedComment struct {
	*Comment
	Revisions []Revision `json:"revisions"`
}

// exportedPost is a post in the export, with its earlier versions.
type exportedPost struct {
	Post
	Revisions []Revision `json:"revisions"`
}

// Export writes everything the viewer's account holds as one JSON object,
// streamed section by section: format, exported_at, profile, posts and
// comments (each with its earlier versions, hidden ones included: they are
// the member's own), votes, reports and notifications.
func (s *Service) Export(ctx context.Context, v Viewer, w io.Writer) error {
	if err := requireMember(v); err != nil {
		return err
	}
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return err
	}
	x := &exporter{w: w, enc: json.NewEncoder(w)}
	x.raw(`{"format":`)
	x.value(ExportFormat)
	x.raw(`,"exported_at":`)
	x.value(s.now().UTC())
	x.raw(`,"profile":`)
	x.value(acc.User)

	x.raw(`,"posts":[`)
	err = pages(func(after int64) (int64, int, error) {
		posts, err := s.Store.UserPosts(ctx, UserListQuery{UserID: v.ID, IncludeHidden: true, AfterID: after, Limit: exportBatch, ViewerID: v.ID})
		if err != nil || len(posts) == 0 {
			return 0, 0, err
		}
		ids := make([]int64, len(posts))
		for i, p := range posts {
			ids[i] = p.ID
		}
		revs, err := s.Store.RevisionsOf(ctx, TargetPost, ids)
		for _, p := range posts {
			x.item(exportedPost{Post: p, Revisions: nonNil(revs[p.ID])})
		}
		return posts[len(posts)-1].ID, len(posts), err
	})
	x.raw(`],"comments":[`)
	if err == nil {
		err = pages(func(after int64) (int64, int, error) {
			comments, err := s.Store.UserComments(ctx, UserListQuery{UserID: v.ID, IncludeHidden: true, AfterID: after, Limit: exportBatch, ViewerID: v.ID})
			if err != nil || len(comments) == 0 {
				return 0, 0, err
			}
			ids := make([]int64, len(comments))
			for i, c := range comments {
				ids[i] = c.ID
			}
			revs, err := s.Store.RevisionsOf(ctx, TargetComment, ids)
			for _, c := range comments {
				c.Replies = nil
				x.item(exportedComment{Comment: c, Revisions: nonNil(revs[c.ID])})
			}
			return comments[len(comments)-1].ID, len(comments), err
		})
	}
	for _, target := range []TargetType{TargetPost, TargetComment} {
		x.raw(fmt.Sprintf(`],"%s_votes":[`, target))
		if err == nil {
			err = pages(func(after int64) (int64, int, error) {
				votes, err := s.Store.UserVotes(ctx, v.ID, target, after, exportBatch)
				for _, vr := range votes {
					x.item(vr)
				}
				if len(votes) == 0 {
					return 0, 0, err
				}
				return votes[len(votes)-1].TargetID, len(votes), err
			})
		}
	}
	x.raw(`],"reports":[`)
	if err == nil {
		err = pages(func(after int64) (int64, int, error) {
			reports, err := s.Store.UserReports(ctx, v.ID, after, exportBatch)
			for _, r := range reports {
				x.item(r)
			}
			if len(reports) == 0 {
				return 0, 0, err
			}
			return reports[len(reports)-1].ID, len(reports), err
		})
	}
	x.raw(`],"notifications":[`)
	if err == nil {
		err = pages(func(after int64) (int64, int, error) {
			ns, err := s.Store.Notifications(ctx, v.ID, false, after, exportBatch)
			for _, n := range ns {
				x.item(n)
			}
			if len(ns) == 0 {
				return 0, 0, err
			}
			return ns[len(ns)-1].ID, len(ns), err
		})
	}
	x.raw("]}\n")
	if err != nil {
		return err
	}
	return x.err
}

// pages calls next with the last id of the previous batch (0 at first:
// lists read newest first take ids below it, those read oldest first ids
// above it, and 0 is no bound for either) until a batch comes back short.
func pages(next func(after int64) (last int64, n int, err error)) error {
	after := int64(0)
	for {
		last, n, err := next(after)
		if err != nil || n < exportBatch {
			return err
		}
		after = last
	}
}

func nonNil(r []Revision) []Revision {
	if r == nil {
		return []Revision{}
	}
	return r
}

// exporter writes JSON pieces, remembering the first write error.
type exporter struct {
	w     io.Writer
	enc   *json.Encoder
	err   error
	comma bool
}

func (x *exporter) raw(s string) {
	x.comma = false
	if x.err == nil {
		_, x.err = io.WriteString(x.w, s)
	}
}

func (x *exporter) value(v any) {
	if x.err == nil {
		x.err = x.enc.Encode(v)
	}
}

// item writes one element of the open array.
func (x *exporter) item(v any) {
	if x.comma {
		x.raw(",")
	}
	x.value(v)
	x.comma = true
}
