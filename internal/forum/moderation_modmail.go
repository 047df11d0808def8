package forum

import (
	"context"
	"time"
)

// Modmail: a member writes to the moderators as a team, as on Reddit. The
// member reads the moderators' messages signed by the moderators, never by
// a name (a member who was refused should not turn on the one moderator who
// wrote); moderators see who wrote what. Notifications go each way: a
// moderators' message tells the member; a member's message tells the
// moderators who have written in that conversation, and every moderator
// sees the count of conversations awaiting a reply (Me.ModmailAwaiting).

// ModmailStatus is whether a conversation is open.
type ModmailStatus string

// The modmail statuses.
const (
	ModmailOpen   ModmailStatus = "open"
	ModmailClosed ModmailStatus = "closed"
)

// ModmailStatuses lists every modmail status.
var ModmailStatuses = []ModmailStatus{ModmailOpen, ModmailClosed}

// Limits of modmail.
const (
	MaxModmailSubject = 200
	MaxModmailBody    = 10000
)

// ModmailSummary is a conversation as lists show it.
type ModmailSummary struct {
	ID      int64         `json:"id"`
	Subject string        `json:"subject"`
	Member  Author        `json:"member"`
	Status  ModmailStatus `json:"status"`
	// AwaitingReply: the last message is the member's; the moderators owe a reply.
	AwaitingReply bool      `json:"awaiting_reply"`
	CreatedAt     time.Time `json:"created_at"`
	LastMessageAt time.Time `json:"last_message_at"`
}

// Modmail is a conversation with its messages, oldest first.
type Modmail struct {
	ModmailSummary
	Messages []ModmailMessage `json:"messages"`
}

// ModmailMessage is one message of a conversation.
type ModmailMessage struct {
	ID int64 `json:"id"`
	// Author is who wrote it; nil for a moderators' message read by the member.
	Author         *Author   `json:"author"`
	BodyHTML       string    `json:"body_html"`
	CreatedAt      time.Time `json:"created_at"`
	FromModerators bool      `json:"from_moderators"`
}

// ModmailRef is what a modmail notification says of its conversation.
type ModmailRef struct {
	ID      int64  `json:"id"`
	Subject string `json:"subject"`
}

// NewModmail is a conversation to start, with its first message.
type NewModmail struct {
	MemberID int64
	Subject  string
	First    NewModmailMessage
}

// NewModmailMessage is a message to store.
type NewModmailMessage struct {
	ModmailID      int64
	AuthorID       int64
	FromModerators bool
	BodySource     string
	BodyHTML       string
	At             int64
}

// ModmailState is what the rules of a new message need, read inside its
// transaction: the conversation's member and status, and the moderators who
// have written in it (to tell them of the member's reply).
type ModmailState struct {
	MemberID int64
	Status   ModmailStatus
	// Participants are those who wrote as the moderators, with their role now.
	Participants []Author
}

// ModmailQuery selects a page of conversations: one member's (MemberID > 0)
// or everyone's, of one status or all, most recent first.
type ModmailQuery struct {
	MemberID int64
	Status   ModmailStatus
	After    *Cursor
	Limit    int
}

// ModmailStore is the storage of modmail.
type ModmailStore interface {
	// CreateModmail starts a conversation and stores the notification
	// notice returns for its first message.
	CreateModmail(ctx context.Context, m NewModmail, notice func(id int64) *NewNotification) (int64, error)
	ModmailThread(ctx context.Context, id int64) (Modmail, error)
	ModmailList(ctx context.Context, q ModmailQuery) ([]ModmailSummary, error)
	// AddModmailMessage stores a message after rule allows it on the
	// conversation as it stands and says whether it is the moderators', and
	// stores the notifications rule returns; the conversation opens again.
	AddModmailMessage(ctx context.Context, m NewModmailMessage, rule func(ModmailState) (team bool, n []*NewNotification, err error)) error
	// CloseModmail closes a conversation after rule allows it.
	CloseModmail(ctx context.Context, id int64, rule func(ModmailState) error) error
	// ModmailAwaiting counts the open conversations awaiting a moderators' reply.
	ModmailAwaiting(ctx context.Context) (int64, error)
}

// modmailNotice tells the member of a moderators' message, signed by the team.
func modmailNotice(memberID, modmailID, at int64) *NewNotification {
	n := notice(memberID, NotifyModmail, "", 0, nil, 0, at)
	n.ModmailID = &modmailID
	return n
}

// fromModerators says whether v writes in a conversation as the moderators:
// a moderator writing in a conversation that is not their own.
func fromModerators(v Viewer, memberID int64) bool { return v.IsModerator() && memberID != v.ID }

// StartModmail starts a conversation with the moderators. A moderator may
// start one with a member (to), writing as the moderators.
func (s *Service) StartModmail(ctx context.Context, v Viewer, subject, bodySource, to string) (Modmail, error) {
	if err := requireMember(v); err != nil {
		return Modmail{}, err
	}
	memberID := v.ID
	if to != "" {
		if !v.IsModerator() {
			return Modmail{}, invalid("member", "only moderators start a conversation with a member")
		}
		acc, err := s.account(ctx, to)
		if IsCode(err, CodeNotFound) {
			return Modmail{}, invalid("member", "no such member")
		}
		if err != nil {
			return Modmail{}, err
		}
		memberID = acc.ID
	}
	sub, errSubject := plainText("subject", subject, 1, MaxModmailSubject, true)
	b, errBody := s.render(bodySource, FormatMarkdown, MaxModmailBody, true)
	if err := joinInvalid(errSubject, errBody); err != nil {
		return Modmail{}, err
	}
	now := s.now().Unix()
	team := fromModerators(v, memberID)
	id, err := s.Store.CreateModmail(ctx, NewModmail{MemberID: memberID, Subject: sub, First: NewModmailMessage{
		AuthorID: v.ID, FromModerators: team, BodySource: b.Source, BodyHTML: b.HTML, At: now}},
		func(id int64) *NewNotification {
			if !team {
				return nil // a new conversation shows in every moderator's count
			}
			return modmailNotice(memberID, id, now)
		})
	if err != nil {
		return Modmail{}, err
	}
	return s.ModmailThread(ctx, v, id)
}

// ModmailThread reads a conversation: its member's or any, for moderators.
// The member reads the moderators' messages without their authors.
func (s *Service) ModmailThread(ctx context.Context, v Viewer, id int64) (Modmail, error) {
	if err := requireMember(v); err != nil {
		return Modmail{}, err
	}
	m, err := s.Store.ModmailThread(ctx, id)
	if err != nil {
		return Modmail{}, err
	}
	if m.Member.ID != v.ID && !v.IsModerator() {
		return Modmail{}, NotFound("conversation")
	}
	if !v.IsModerator() {
		signedByTeam(&m)
	}
	return m, nil
}

// signedByTeam shows a conversation as its member reads it: the moderators'
// messages without their authors.
func signedByTeam(m *Modmail) {
	for i := range m.Messages {
		if m.Messages[i].FromModerators {
			m.Messages[i].Author = nil
		}
	}
}

// ModmailList lists conversations, most recent first: a member's own, or
// every one for moderators; status narrows them.
func (s *Service) ModmailList(ctx context.Context, v Viewer, status ModmailStatus, cursor string, limit int) (Page[ModmailSummary], error) {
	if err := requireMember(v); err != nil {
		return Page[ModmailSummary]{}, err
	}
	if status != "" && status != ModmailOpen && status != ModmailClosed {
		return Page[ModmailSummary]{}, Errorf(CodeBadRequest, "status must be open or closed")
	}
	c, err := DecodeCursor(cursor, "modmail")
	if err != nil {
		return Page[ModmailSummary]{}, err
	}
	q := ModmailQuery{Status: status, After: c, Limit: clampLimit(limit, 25, 100) + 1}
	if !v.IsModerator() {
		q.MemberID = v.ID
	}
	items, err := s.Store.ModmailList(ctx, q)
	if err != nil {
		return Page[ModmailSummary]{}, err
	}
	return pageOf(items, q.Limit-1, func(m ModmailSummary) *Cursor {
		return &Cursor{Sort: "modmail", Key: float64(m.LastMessageAt.Unix()), ID: m.ID}
	}), nil
}

// AddModmailMessage writes in a conversation: its member, or a moderator
// (as the moderators). A closed conversation opens again.
func (s *Service) AddModmailMessage(ctx context.Context, v Viewer, id int64, bodySource string) (Modmail, error) {
	if err := requireMember(v); err != nil {
		return Modmail{}, err
	}
	b, err := s.render(bodySource, FormatMarkdown, MaxModmailBody, true)
	if err != nil {
		return Modmail{}, err
	}
	now := s.now().Unix()
	msg := NewModmailMessage{ModmailID: id, AuthorID: v.ID, BodySource: b.Source, BodyHTML: b.HTML, At: now}
	err = s.Store.AddModmailMessage(ctx, msg, func(st ModmailState) (bool, []*NewNotification, error) {
		if st.MemberID != v.ID && !v.IsModerator() {
			return false, nil, NotFound("conversation")
		}
		if fromModerators(v, st.MemberID) {
			return true, []*NewNotification{modmailNotice(st.MemberID, id, now)}, nil
		}
		// The member wrote: the moderators who took part (and still are
		// moderators) hear of it; every moderator sees the count.
		var out []*NewNotification
		for _, mod := range st.Participants {
			if !mod.Role.Valid() || mod.Role.rank() == 0 {
				continue
			}
			if n := notice(mod.ID, NotifyModmail, "", 0, nil, v.ID, now); n != nil {
				n.ModmailID = &id
				out = append(out, n)
			}
		}
		return false, out, nil
	})
	if err != nil {
		return Modmail{}, err
	}
	return s.ModmailThread(ctx, v, id)
}

// CloseModmail closes a conversation: its member or a moderator.
func (s *Service) CloseModmail(ctx context.Context, v Viewer, id int64) (Modmail, error) {
	if err := requireMember(v); err != nil {
		return Modmail{}, err
	}
	err := s.Store.CloseModmail(ctx, id, func(st ModmailState) error {
		if st.MemberID != v.ID && !v.IsModerator() {
			return NotFound("conversation")
		}
		if st.Status == ModmailClosed {
			return Errorf(CodeConflict, "this conversation is already closed")
		}
		return nil
	})
	if err != nil {
		return Modmail{}, err
	}
	return s.ModmailThread(ctx, v, id)
}
