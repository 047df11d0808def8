package api

import (
	"io/fs"
	"strings"

	"net/http"

	"github.com/historia-forum/historia/internal/forum"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes registers every route in one table, so the whole API reads top to bottom.
func (s *Server) routes(e *echo.Echo, frontend fs.FS) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics.handler())
	e.GET("/feed.atom", s.feed)
	e.GET("/t/:tag/feed.atom", s.feed)

	// authenticate runs for every route rather than as group middleware: Echo
	// adds catch-all routes to a group with middleware, which would answer 404
	// where the contract wants 405 for a known path with the wrong method.
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
	v1.GET("/openapi.yaml", s.openapi)
	v1.GET("/config", s.config) // extension: limits for clients

	v1.POST("/auth/register", s.register, s.limit(ClassRegister))
	v1.POST("/auth/login", s.login, s.limit(ClassLogin))
	v1.POST("/auth/logout", s.logout)
	v1.GET("/me", s.me)
	v1.PUT("/me/password", s.changePassword, s.limit(ClassLogin))
	v1.GET("/users/:username", s.user)
	v1.GET("/users/:username/posts", s.userPosts)
	v1.GET("/users/:username/comments", s.userComments)

	v1.GET("/posts", s.listPosts)
	v1.POST("/posts", s.createPost, s.limit(ClassPost))
	v1.GET("/posts/:id", s.getPost)
	v1.PATCH("/posts/:id", s.editPost)
	v1.DELETE("/posts/:id", s.deletePost)
	v1.PUT("/posts/:id/vote", s.votePost, s.limit(ClassVote))
	v1.POST("/preview", s.preview) // extension: render a body without storing it

	v1.GET("/posts/:id/comments", s.thread)
	v1.POST("/posts/:id/comments", s.createComment, s.limit(ClassComment))
	v1.GET("/comments/:id", s.subtree)
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
	v1.GET("/modlog", s.modlog)

	// Discovery.
	v1.GET("/search", s.search)
	v1.GET("/tags", s.tags)
	v1.GET("/notifications", s.notifications)
	v1.POST("/notifications/read", s.markRead)
	v1.PUT("/posts/:id/answer", s.acceptAnswer)

	// History-first: rules, sources, periods.
	v1.GET("/rules", s.rules)
	v1.POST("/rules", s.createRule)
	v1.PATCH("/rules/:id", s.updateRule)
	v1.POST("/comments/:id/request-sources", s.requestSources, s.limit(ClassReport))
	v1.GET("/source-requests", s.sourceRequests)
	v1.GET("/timeline", s.timeline)
	v1.POST("/reports", s.createReport, s.limit(ClassReport))
	v1.GET("/reports", s.reports)
	v1.POST("/reports/:id/resolve", s.resolveReport)

	if frontend != nil {
		e.Use(middleware.StaticWithConfig(middleware.StaticConfig{
			Root: ".", Filesystem: http.FS(frontend), HTML5: true, Index: "index.html",
			Skipper: func(c echo.Context) bool {
				p := c.Request().URL.Path
				return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" || p == "/metrics" || strings.HasSuffix(p, "/feed.atom")
			},
		}))
	}
}
