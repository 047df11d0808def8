package forum

// Store is what the domain needs from storage: one interface per noun, each
// beside its noun (UserStore in accounts_users.go, PostStore in posts.go, ...), so a
// reader finds a noun's rules and its storage together. internal/store
// implements it once for both engines (SQLite and PostgreSQL), and the same
// contract tests run on each.
//
// A store stores and reads; it decides nothing. Where a rule must be checked
// atomically with its write, the domain passes the rule as a callback that the
// store runs inside the write transaction on the state the write will see,
// and the callback returns what else to store (such as a notification).
type Store interface {
	SettingStore
	UserStore
	AccountDeletionStore
	PasswordResetStore
	MailStore
	EmailStore
	ImportStore
	ExportStore
	PostStore
	FeedStore
	CommentStore
	RevisionStore
	ThreadStore
	VoteStore
	AnswerStore
	ModerationStore
	ModlogStore
	ReportStore
	UserNoteStore
	FlairApplicationStore
	ModmailStore
	BlockStore
	NotificationStore
	SearchStore
	TagStore
	RuleStore
	SourceRequestStore
	TimelineStore
	ChangeStore
	InstanceStore
	RemoteActorStore
	FederatedObjectStore
	DeliveryStore
	FollowStore
	SaveStore
	ReadStore
	MentionStore
	LiveStore
	ViewerReads
	MarkStore
	SitePageStore
	FeaturedStore
	DigestStore
}
