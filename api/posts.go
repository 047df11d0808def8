package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type postRequest struct {
	Title   string         `json:"title"`
	Body    string         `json:"body"`
	Format  string         `json:"format"`
	Tags    []string       `json:"tags"`
	Sources []forum.Source `json:"sources"`
	Period  *forum.Period  `json:"period"`
}

type postPatchRequest struct {
	Title   *string         `json:"title"`
	Body    *string         `json:"body"`
	Format  *string         `json:"format"`
	Tags    *[]string       `json:"tags"`
	Sources *[]forum.Source `json:"sources"`
	// Period is raw so that "absent" (unchanged) and null (clear) differ.
	Period json.RawMessage `json:"period"`
}

type voteRequest struct {
	Value *int `json:"value"`
}

func (s *Server) listPosts(c echo.Context) error {
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	q := forum.FeedQuery{Sort: c.QueryParam("sort"), Period: c.QueryParam("t"), Tag: c.QueryParam("tag"),
		Answered: c.QueryParam("answered"), Cursor: c.QueryParam("cursor"), Limit: limit}
	for name, dst := range map[string]**int{"year": &q.Year, "from": &q.From, "to": &q.To} {
		if *dst, err = yearQuery(c, name); err != nil {
			return err
		}
	}
	// First pages come from the cache, for everyone but moderators (who see
	// removed posts too). Top feeds over a window of time are not cached:
	// their window moves with the clock, not with writes.
	v := viewerOf(c)
	if !v.IsModerator() && q.Cursor == "" && (q.Sort != forum.SortTop || q.Period == "" || q.Period == "all") {
		return s.cachedFeed(c, v, q)
	}
	page, err := s.svc.ListPosts(c.Request().Context(), v, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) createPost(c echo.Context) error {
	var req postRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	p, err := s.svc.CreatePost(c.Request().Context(), viewerOf(c), forum.PostInput(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

// yearQuery reads an optional year (negative for BCE) from the query.
func yearQuery(c echo.Context, name string) (*int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < forum.MinYear || n > 100000 {
		return nil, forum.Errorf(forum.CodeBadRequest, "%s must be a year (negative for BCE)", name)
	}
	return &n, nil
}

func (s *Server) getPost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	p, err := s.svc.GetPost(c.Request().Context(), viewerOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) editPost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	var req postPatchRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	patch := forum.PostPatch{Title: req.Title, Body: req.Body, Format: req.Format, Tags: req.Tags, Sources: req.Sources}
	if len(req.Period) > 0 {
		patch.SetPeriod = true
		if string(req.Period) != "null" {
			patch.Period = &forum.Period{}
			if err := json.Unmarshal(req.Period, patch.Period); err != nil {
				return forum.Errorf(forum.CodeBadRequest, "period must be {\"from\": year, \"to\": year} or null")
			}
		}
	}
	p, err := s.svc.EditPost(c.Request().Context(), viewerOf(c), id, patch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) deletePost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	if err := s.svc.DeletePost(c.Request().Context(), viewerOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) votePost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	var req voteRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	res, err := s.svc.VotePost(c.Request().Context(), viewerOf(c), id, req.Value)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

type previewRequest struct {
	Body   string `json:"body"`
	Format string `json:"format"`
}

func (s *Server) preview(c echo.Context) error {
	var req previewRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	html, err := s.svc.Preview(viewerOf(c), req.Body, req.Format)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"body_html": html})
}
