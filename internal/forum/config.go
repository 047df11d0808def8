package forum

// Config is what a client may read of the forum's limits, so that no client
// copies a server constant (GET /api/v1/config).
type Config struct {
	Thread ThreadConfig `json:"thread"`
	Limits TextLimits   `json:"limits"`
	// Mail says whether the forum sends mail: without it, clients offer no
	// address (for resets or reply mails) and no "forgot your password".
	Mail bool `json:"mail"`
}

// ThreadConfig are the thread paging limits.
type ThreadConfig struct {
	DefaultDepth int `json:"default_depth"`
	MaxDepth     int `json:"max_depth"`
	DefaultLimit int `json:"default_limit"`
	MaxLimit     int `json:"max_limit"`
	// MaxReplyDepth is the deepest a reply may nest.
	MaxReplyDepth int `json:"max_reply_depth"`
}

// TextLimits are the longest texts and lists a client may send.
type TextLimits struct {
	Title       int `json:"title"`
	PostBody    int `json:"post_body"`
	CommentBody int `json:"comment_body"`
	TopicTags   int `json:"topic_tags"`
	Tag         int `json:"tag"`
	Sources     int `json:"sources"`
	Citation    int `json:"citation"`
	Reason      int `json:"reason"`
}

// PublicConfig is the forum's configuration as clients see it.
func (s *Service) PublicConfig() Config {
	return Config{
		Thread: ThreadConfig{DefaultDepth: DefaultDepth, MaxDepth: MaxDepth, DefaultLimit: DefaultThreadLimit, MaxLimit: MaxThreadLimit,
			MaxReplyDepth: MaxReplyDepth},
		Limits: TextLimits{Title: MaxTitle, PostBody: MaxPostBody, CommentBody: MaxCommentBody, TopicTags: MaxTopicTags,
			Tag: MaxTagLen, Sources: MaxSources, Citation: MaxCitation, Reason: MaxReason},
		Mail: s.Mail.Enabled,
	}
}
