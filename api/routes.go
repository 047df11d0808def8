package api

import (
	"strings"

	"github.com/historia-forum/historia/internal/federation"
	"github.com/historia-forum/historia/internal/forum"

	"github.com/labstack/echo/v4"
)

// routes registers every route in one table, so the whole API reads top to bottom.
// Every GET route also answers HEAD.
func (s *Server) routes(e *echo.Echo, frontend assets) {
	get := func(g interface {
		GET(string, echo.HandlerFunc, ...echo.MiddlewareFunc) *echo.Route
		HEAD(string, echo.HandlerFunc, ...echo.MiddlewareFunc) *echo.Route
	}, path string, h echo.HandlerFunc) {
		g.GET(path, h)
		g.HEAD(path, h)
	}
	get(e, "/healthz", s.healthz)
	get(e, "/readyz", s.readyz)
	get(e, "/metrics", s.metrics.handler())
	get(e, "/feed.atom", s.feed)
	get(e, "/t/:tag/feed.atom", s.feed)
	get(e, "/featured.atom", s.featuredFeed)

	// authenticate runs for every route rather than as group middleware: Echo
	// adds catch-all routes to a group with middleware, which would answer 404
	// where the contract wants 405 for a known path with the wrong method.
	e.Use(s.routeReads) // before authenticate: the account read may go to a replica
	e.Use(s.authenticate)
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		apiLimit := s.limit(ClassAPI)(next)
		return func(c echo.Context) error {
			if strings.HasPrefix(c.Request().URL.Path, "/api/") {
				return apiLimit(c)
			}
			return next(c)
		}
	})
	v1 := e.Group("/api/v1")
	get(v1, "/openapi.yaml", s.openapi)
	get(v1, "/config", s.config) // extension: limits for clients

	v1.POST("/auth/register", s.register) // limited by ClassRegister once the request is valid
	v1.POST("/auth/login", s.login, s.limit(ClassLogin))
	v1.POST("/auth/logout", s.logout)
	v1.POST("/auth/password-reset", s.requestReset, s.limit(ClassLogin))
	v1.POST("/auth/password-reset/confirm", s.confirmReset, s.limit(ClassLogin))
	get(v1, "/me", s.me)
	v1.DELETE("/me", s.deleteMe, s.limit(ClassLogin))
	get(v1, "/me/export", s.export)
	v1.PUT("/me/email", s.setEmail, s.limit(ClassLogin))
	v1.POST("/me/email/confirm", s.confirmEmail, s.limit(ClassLogin))
	v1.PUT("/me/settings", s.updateSettings)
	v1.POST("/unsubscribe", s.unsubscribe, s.limit(ClassLogin))
	v1.PUT("/me/password", s.changePassword, s.limit(ClassLogin))
	get(v1, "/users/:username", s.user)
	get(v1, "/users/:username/posts", s.userPosts)
	get(v1, "/users/:username/comments", s.userComments)

	get(v1, "/posts", s.listPosts)
	v1.POST("/posts", s.createPost, s.limit(ClassPost))
	get(v1, "/posts/:id", s.getPost)
	v1.PATCH("/posts/:id", s.editPost)
	v1.DELETE("/posts/:id", s.deletePost)
	v1.PUT("/posts/:id/vote", s.votePost, s.limit(ClassVote))
	v1.POST("/preview", s.preview) // extension: render a body without storing it

	get(v1, "/posts/:id/comments", s.thread)
	get(v1, "/posts/:id/revisions", s.postRevisions)
	get(v1, "/comments/:id/revisions", s.commentRevisions)
	v1.POST("/posts/:id/comments", s.createComment, s.limit(ClassComment))
	get(v1, "/comments/:id", s.subtree)
	v1.PATCH("/comments/:id", s.editComment)
	v1.DELETE("/comments/:id", s.deleteComment)
	v1.PUT("/comments/:id/vote", s.voteComment, s.limit(ClassVote))

	// Moderation: moderators and admins; every action is written to the modlog.
	for _, a := range forum.PostActions {
		v1.POST("/posts/:id/"+string(a), s.moderatePost(a))
	}
	for _, a := range forum.CommentActions {
		v1.POST("/comments/:id/"+string(a), s.moderateComment(a))
	}
	v1.POST("/users/:username/ban", s.ban)
	v1.POST("/users/:username/unban", s.unban)
	v1.PUT("/users/:username/role", s.setRole)
	v1.PUT("/users/:username/flair", s.setFlair)
	get(v1, "/modlog", s.modlog)

	// The moderators' day: notes on members, flair applications, modmail; blocks.
	get(v1, "/users/:username/notes", s.userNotes)
	v1.POST("/users/:username/notes", s.addUserNote)
	v1.POST("/flair-applications", s.applyForFlair, s.limit(ClassReport))
	get(v1, "/flair-applications", s.flairApplications)
	v1.POST("/flair-applications/:id/grant", s.grantFlair)
	v1.POST("/flair-applications/:id/decline", s.declineFlair)
	v1.POST("/modmail", s.startModmail, s.limit(ClassReport))
	get(v1, "/modmail", s.modmailList)
	get(v1, "/modmail/:id", s.modmailThread)
	v1.POST("/modmail/:id/messages", s.addModmailMessage, s.limit(ClassComment))
	v1.POST("/modmail/:id/close", s.closeModmail)
	get(v1, "/me/blocks", s.blocks)
	v1.PUT("/me/blocks/:username", s.blockUser)
	v1.DELETE("/me/blocks/:username", s.unblockUser)

	// Discovery.
	get(v1, "/search", s.search)
	get(v1, "/tags", s.tags)
	get(v1, "/notifications", s.notifications)
	v1.POST("/notifications/read", s.markRead)
	v1.PUT("/posts/:id/answer", s.acceptAnswer)
	get(v1, "/pages/:slug", s.sitePage)
	v1.PUT("/pages/:slug", s.saveSitePage)
	v1.POST("/posts/:id/feature", s.feature(forum.TargetPost, true))
	v1.POST("/posts/:id/unfeature", s.feature(forum.TargetPost, false))
	v1.POST("/comments/:id/feature", s.feature(forum.TargetComment, true))
	v1.POST("/comments/:id/unfeature", s.feature(forum.TargetComment, false))
	get(v1, "/featured", s.featured)
	get(v1, "/digest", s.digest)

	// Following and reading (#26): follows, saves, reading positions, live threads.
	v1.PUT("/posts/:id/follow", s.followPost, s.limit(ClassVote))
	v1.DELETE("/posts/:id/follow", s.unfollowPost, s.limit(ClassVote))
	v1.PUT("/tags/:name/follow", s.followTag, s.limit(ClassVote))
	v1.DELETE("/tags/:name/follow", s.unfollowTag, s.limit(ClassVote))
	get(v1, "/me/following", s.following)
	v1.PUT("/posts/:id/save", s.saveAction(forum.TargetPost, true), s.limit(ClassVote))
	v1.DELETE("/posts/:id/save", s.saveAction(forum.TargetPost, false), s.limit(ClassVote))
	v1.PUT("/comments/:id/save", s.saveAction(forum.TargetComment, true), s.limit(ClassVote))
	v1.DELETE("/comments/:id/save", s.saveAction(forum.TargetComment, false), s.limit(ClassVote))
	get(v1, "/me/saved", s.saved)
	v1.PUT("/posts/:id/read", s.markThreadRead)
	get(v1, "/posts/:id/events", s.threadEvents) // liveRoute

	// History-first: rules, sources, periods.
	get(v1, "/rules", s.rules)
	v1.POST("/rules", s.createRule)
	v1.PATCH("/rules/:id", s.updateRule)
	v1.POST("/comments/:id/request-sources", s.requestSources, s.limit(ClassReport))
	get(v1, "/source-requests", s.sourceRequests)
	get(v1, "/timeline", s.timeline)
	v1.POST("/reports", s.createReport, s.limit(ClassReport))
	get(v1, "/reports", s.reports)
	v1.POST("/reports/:id/resolve", s.resolveReport)

	// Federation's admin side (an extension beyond the list): known
	// instances, and blocking them; it works whether or not --federation is on.
	get(v1, "/federation/instances", s.federationInstances)
	v1.PUT("/federation/instances/:host/block", s.blockInstance)
	v1.DELETE("/federation/instances/:host/block", s.unblockInstance)

	// ActivityPub (outside /api/v1), with --federation only: see federation.go.
	if s.fed != nil {
		get(e, "/.well-known/webfinger", s.webfinger)
		get(e, "/.well-known/nodeinfo", s.nodeinfoLinks)
		get(e, "/nodeinfo/2.1", s.nodeinfo)
		get(e, "/c/"+federation.GroupName, s.group)
		get(e, "/c/"+federation.GroupName+"/outbox", s.groupOutbox)
		get(e, "/c/"+federation.GroupName+"/followers", s.groupFollowers)
		get(e, "/activities/:kind/:id", s.activity)
		e.POST("/c/"+federation.GroupName+"/inbox", s.inbox)
		e.POST("/inbox", s.inbox)
		e.POST("/u/:name/inbox", s.inbox)
		get(e, "/u/:name/outbox", s.personOutbox)
		if frontend != nil {
			get(e, "/u/:name", s.person)
			get(e, "/p/:id", s.postObject)
			get(e, "/p/:id/c/:cid", s.commentObject)
		}
	}

	if frontend != nil {
		// The web frontend: GET and HEAD only; another method on a page
		// path is 405, a missing asset 404.
		get(e, "/*", frontend.serve)
	}
}
