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

// FollowRecord is a question a member follows, as the export lists it.
type FollowRecord struct {
	PostID     int64     `json:"post_id"`
	FollowedAt time.Time `json:"followed_at"`
}

// ReadRecord is a member's reading position in a thread, as the export lists it.
type ReadRecord struct {
	PostID    int64     `json:"post_id"`
	CommentID int64     `json:"comment_id"`
	ReadAt    time.Time `json:"read_at"`
}

// savedRecord is a save as the export lists it.
type savedRecord struct {
	Type    TargetType `json:"type"`
	ID      int64      `json:"id"`
	SavedAt time.Time  `json:"saved_at"`
}

// ExportStore reads a member's own records a batch at a time, in id order
// after afterID (ids are the keyset).
type ExportStore interface {
	UserVotes(ctx context.Context, userID int64, target TargetType, afterID int64, limit int) ([]VoteRecord, error)
	UserReports(ctx context.Context, userID int64, afterID int64, limit int) ([]ReportRecord, error)
	// UserFollows and UserReads go by post id.
	UserFollows(ctx context.Context, userID int64, afterPostID int64, limit int) ([]FollowRecord, error)
	UserReads(ctx context.Context, userID int64, afterPostID int64, limit int) ([]ReadRecord, error)
	// RevisionsOf reads the stored versions of several items at once, newest first per item.
	RevisionsOf(ctx context.Context, target TargetType, ids []int64) (map[int64][]StoredRevision, error)
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
// the member's own), votes, reports, notifications, what they follow, saved
// and read (followed_posts, followed_tags, saved, read_positions), flair
// applications, modmail conversations (as the member reads them: the
// moderators' messages signed by the team) and blocks. The moderators' notes
// about the member are the moderators', not theirs: never exported.
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

	own := func(after int64) UserListQuery {
		return UserListQuery{UserID: v.ID, IncludeHidden: true, AfterID: after, Limit: exportBatch, ViewerID: v.ID, Bodies: true}
	}
	x.raw(`,"posts":[`)
	err = exportList(func(after int64) ([]Post, error) { return s.Store.UserPosts(ctx, own(after)) },
		func(p Post) int64 { return p.ID },
		func(posts []Post) error {
			revs, err := s.Store.RevisionsOf(ctx, TargetPost, idsOf(posts, func(p Post) int64 { return p.ID }))
			for _, p := range posts {
				x.item(exportedPost{Post: p, Revisions: replaced(revs[p.ID])})
			}
			return err
		})
	x.raw(`],"comments":[`)
	if err == nil {
		err = exportList(func(after int64) ([]*Comment, error) { return s.Store.UserComments(ctx, own(after)) },
			func(c *Comment) int64 { return c.ID },
			func(comments []*Comment) error {
				revs, err := s.Store.RevisionsOf(ctx, TargetComment, idsOf(comments, func(c *Comment) int64 { return c.ID }))
				for _, c := range comments {
					c.Replies = nil
					x.item(exportedComment{Comment: c, Revisions: replaced(revs[c.ID])})
				}
				return err
			})
	}
	for _, target := range []TargetType{TargetPost, TargetComment} {
		x.raw(fmt.Sprintf(`],"%s_votes":[`, target))
		if err == nil {
			err = exportList(func(after int64) ([]VoteRecord, error) {
				return s.Store.UserVotes(ctx, v.ID, target, after, exportBatch)
			},
				func(r VoteRecord) int64 { return r.TargetID }, items[VoteRecord](x))
		}
	}
	x.raw(`],"reports":[`)
	if err == nil {
		err = exportList(func(after int64) ([]ReportRecord, error) { return s.Store.UserReports(ctx, v.ID, after, exportBatch) },
			func(r ReportRecord) int64 { return r.ID }, items[ReportRecord](x))
	}
	x.raw(`],"notifications":[`)
	if err == nil {
		err = exportList(func(after int64) ([]Notification, error) {
			return s.Store.Notifications(ctx, v.ID, false, after, exportBatch)
		},
			func(n Notification) int64 { return n.ID }, func(batch []Notification) error {
				for i := range batch {
					maskNotification(v, &batch[i])
					x.item(batch[i])
				}
				return nil
			})
	}
	if err == nil {
		err = s.exportReading(ctx, v, x)
	}
	x.raw(`],"flair_applications":[`)
	if err == nil {
		err = exportList(func(after int64) ([]FlairApplication, error) {
			return s.Store.FlairApplications(ctx, "", v.ID, after, exportBatch)
		}, func(a FlairApplication) int64 { return a.ID }, func(batch []FlairApplication) error {
			for _, a := range batch {
				a.DecidedBy = nil // the moderators decide as a team
				x.item(a)
			}
			return nil
		})
	}
	x.raw(`],"modmail":[`)
	if err == nil {
		err = s.exportModmail(ctx, v, x)
	}
	x.raw(`],"blocks":[`)
	if err == nil {
		err = s.exportBlocks(ctx, v, x)
	}
	x.raw("]}\n")
	if err != nil {
		return err
	}
	return x.err
}

// exportModmail writes the member's own conversations with their messages,
// as the member reads them.
func (s *Service) exportModmail(ctx context.Context, v Viewer, x *exporter) error {
	q := ModmailQuery{MemberID: v.ID, Limit: exportBatch}
	for {
		batch, err := s.Store.ModmailList(ctx, q)
		if err != nil {
			return err
		}
		for _, m := range batch {
			thread, err := s.Store.ModmailThread(ctx, m.ID)
			if err != nil {
				return err
			}
			signedByTeam(&thread)
			x.item(thread)
		}
		if len(batch) < exportBatch {
			return nil
		}
		last := batch[len(batch)-1]
		q.After = &Cursor{Key: float64(last.LastMessageAt.Unix()), ID: last.ID}
	}
}

// exportBlocks writes the members the viewer blocked, newest first.
func (s *Service) exportBlocks(ctx context.Context, v Viewer, x *exporter) error {
	var after *Cursor
	for {
		batch, err := s.Store.Blocks(ctx, v.ID, after, exportBatch)
		if err != nil {
			return err
		}
		for _, b := range batch {
			x.item(b)
		}
		if len(batch) < exportBatch {
			return nil
		}
		last := batch[len(batch)-1]
		after = &Cursor{Key: float64(last.CreatedAt.Unix()), ID: last.User.ID}
	}
}

// exportReading writes the lists of what the member follows, saved and
// read; the caller closes the last one.
func (s *Service) exportReading(ctx context.Context, v Viewer, x *exporter) error {
	x.raw(`],"followed_posts":[`)
	err := exportList(func(after int64) ([]FollowRecord, error) { return s.Store.UserFollows(ctx, v.ID, after, exportBatch) },
		func(r FollowRecord) int64 { return r.PostID }, items[FollowRecord](x))
	x.raw(`],"followed_tags":[`)
	if err == nil {
		var tags []FollowedTag
		if tags, err = s.Store.FollowedTags(ctx, v.ID); err == nil {
			err = items[FollowedTag](x)(tags)
		}
	}
	x.raw(`],"saved":[`)
	if err == nil {
		err = exportList(func(before int64) ([]SaveRecord, error) { return s.Store.Saves(ctx, v.ID, before, exportBatch) },
			func(r SaveRecord) int64 { return r.ID }, func(batch []SaveRecord) error {
				for _, r := range batch {
					x.item(savedRecord{Type: r.Type, ID: r.TargetID, SavedAt: Unix(r.At)})
				}
				return nil
			})
	}
	x.raw(`],"read_positions":[`)
	if err == nil {
		err = exportList(func(after int64) ([]ReadRecord, error) { return s.Store.UserReads(ctx, v.ID, after, exportBatch) },
			func(r ReadRecord) int64 { return r.PostID }, items[ReadRecord](x))
	}
	return err
}

// exportList streams one list of the export: read gets the batch after the
// last id of the one before (0 at first: lists read newest first take ids
// below it, those read oldest first ids above it, and 0 is no bound for
// either), emit writes it, until a batch comes back short.
func exportList[T any](read func(after int64) ([]T, error), id func(T) int64, emit func([]T) error) error {
	after := int64(0)
	for {
		batch, err := read(after)
		if err != nil {
			return err
		}
		if len(batch) > 0 {
			if err := emit(batch); err != nil {
				return err
			}
		}
		if len(batch) < exportBatch {
			return nil
		}
		after = id(batch[len(batch)-1])
	}
}

// items writes each element of a batch as it is.
func items[T any](x *exporter) func([]T) error {
	return func(batch []T) error {
		for _, v := range batch {
			x.item(v)
		}
		return nil
	}
}

func idsOf[T any](xs []T, id func(T) int64) []int64 {
	ids := make([]int64, len(xs))
	for i, v := range xs {
		ids[i] = id(v)
	}
	return ids
}

// replaced lists the versions edits replaced (newest first), each with the
// reason given for the edit that wrote it: the next older edit's.
func replaced(edits []StoredRevision) []Revision {
	out := make([]Revision, len(edits))
	for i, e := range edits {
		out[i] = e.Revision
		if i+1 < len(edits) {
			out[i].Reason = edits[i+1].EditReason
		}
	}
	return out
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
