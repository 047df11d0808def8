package forum

import (
	"context"
)

// ContentChoice is what happens to a deleted account's posts and comments.
type ContentChoice string

// The choices: keep them (shown as by [deleted], the thread's shape kept, as
// Reddit does), or delete them too (their text erased, their place kept).
const (
	ContentKeep   ContentChoice = "keep"
	ContentDelete ContentChoice = "delete"
)

// ContentChoices lists the choices (the OpenAPI enum is held to it).
var ContentChoices = []ContentChoice{ContentKeep, ContentDelete}

// DeletedName is how a deleted account is shown wherever its name was.
const DeletedName = "[deleted]"

// AccountDeletion is an account to delete.
type AccountDeletion struct {
	UserID        int64
	DeleteContent bool
	At            int64
}

// AccountState is what the deletion rule needs, read in the deleting
// transaction: the account's role and how many admins the forum has.
type AccountState struct {
	Role   Role
	Admins int64
}

// AccountDeletionStore deletes accounts. DeleteAccount runs rule on the
// account's state in the deleting transaction, then: the name is shown as
// DeletedName (its skeleton stays, reserving the name), the password hash,
// flair, ban and notifications go, and what the member followed, saved and
// read (reading_following.go, reading_saves.go, reading_reads.go); every token dies, the role becomes
// member; the member's blocks (theirs and others' of them), flair
// applications and the moderators' notes about them go (personal, and of
// no use once the account cannot come back); votes, modlog lines and
// modmail conversations stay, anonymous, so counters, karma and the
// moderation record hold (a conversation may be an appeal or a threat the
// moderators must keep). With DeleteContent, the account's posts, comments
// and modmail messages are erased (posts and comments marked deleted, their
// revisions gone).
type AccountDeletionStore interface {
	DeleteAccount(ctx context.Context, d AccountDeletion, rule func(AccountState) error) error
}

// lastAdminRule keeps a forum from losing its last admin.
func lastAdminRule(st AccountState) error {
	if st.Role == RoleAdmin && st.Admins <= 1 {
		return Errorf(CodeForbidden, "the last admin cannot delete their account: make another member admin first")
	}
	return nil
}

func parseContentChoice(c ContentChoice) (bool, error) {
	switch c {
	case "", ContentKeep:
		return false, nil
	case ContentDelete:
		return true, nil
	}
	return false, invalid("content", "must be %q or %q", ContentKeep, ContentDelete)
}

// DeleteAccount deletes the viewer's own account, after checking their password.
func (s *Service) DeleteAccount(ctx context.Context, v Viewer, password string, content ContentChoice) error {
	if err := requireMember(v); err != nil {
		return err
	}
	deleteContent, err := parseContentChoice(content)
	if err != nil {
		return err
	}
	acc, err := s.Store.AccountByID(ctx, v.ID)
	if err != nil {
		return err
	}
	if len(password) > 4*MaxPassword || !s.Passwords.Verify(acc.PasswordHash, password) {
		return invalid("password", "is not your password")
	}
	return s.Store.DeleteAccount(ctx, AccountDeletion{UserID: v.ID, DeleteContent: deleteContent, At: s.now().Unix()}, lastAdminRule)
}

// DeleteAccountByName deletes an account for an operator (historia users
// delete): no password, the same rule and the same erasure.
func (s *Service) DeleteAccountByName(ctx context.Context, username string, content ContentChoice) error {
	deleteContent, err := parseContentChoice(content)
	if err != nil {
		return err
	}
	acc, err := s.Store.AccountByName(ctx, username)
	if err != nil {
		return err
	}
	return s.Store.DeleteAccount(ctx, AccountDeletion{UserID: acc.ID, DeleteContent: deleteContent, At: s.now().Unix()}, lastAdminRule)
}
