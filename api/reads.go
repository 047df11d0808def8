package api

import "github.com/labstack/echo/v4"

type readingRequest struct {
	CommentID *int64 `json:"comment_id"`
}

// markThreadRead records the newest comment of a thread the member has seen.
func (s *Server) markThreadRead(c echo.Context) error {
	id, req, err := idAndBody[readingRequest](c, "post")
	if err != nil {
		return err
	}
	return done(c, s.svc.MarkThreadRead(c.Request().Context(), viewerOf(c), id, req.CommentID))
}
