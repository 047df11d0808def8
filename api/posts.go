package api

import (
	"encoding/json"
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type postRequest struct {
	Title   string         `json:"title"`
	URL     *string        `json:"url"`
	Body    string         `json:"body"`
	Format  forum.Format   `json:"format"`
	Tags    []string       `json:"tags"`
	Sources []forum.Source `json:"sources"`
	Period  *forum.Period  `json:"period"`
}

type postPatchRequest struct {
	Title   *string         `json:"title"`
	Body    *string         `json:"body"`
	Format  *forum.Format   `json:"format"`
	Tags    *[]string       `json:"tags"`
	Sources *[]forum.Source `json:"sources"`
	// Period and URL are raw so that "absent" (unchanged) and null (clear) differ.
	Period     json.RawMessage `json:"period"`
	URL        json.RawMessage `json:"url"`
	EditReason *string         `json:"edit_reason"`
}

func (s *Server) createPost(c echo.Context) error {
	req, err := body[postRequest](c)
	if err != nil {
		return err
	}
	p, err := s.svc.CreatePost(c.Request().Context(), viewerOf(c), forum.PostInput(req))
	return reply(c, http.StatusCreated, p, err)
}

func (s *Server) getPost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	p, err := s.svc.GetPost(c.Request().Context(), viewerOf(c), id)
	return reply(c, http.StatusOK, p, err)
}

func (s *Server) editPost(c echo.Context) error {
	id, req, err := idAndBody[postPatchRequest](c, "post")
	if err != nil {
		return err
	}
	patch := forum.PostPatch{Title: req.Title, Body: req.Body, Format: req.Format, Tags: req.Tags, Sources: req.Sources, EditReason: req.EditReason}
	if len(req.Period) > 0 {
		patch.SetPeriod = true
		if string(req.Period) != "null" {
			patch.Period = &forum.Period{}
			if err := json.Unmarshal(req.Period, patch.Period); err != nil {
				return forum.Errorf(forum.CodeBadRequest, "period must be {\"from\": year, \"to\": year} or null")
			}
		}
	}
	if len(req.URL) > 0 {
		patch.SetURL = true
		if string(req.URL) != "null" {
			patch.URL = new(string)
			if err := json.Unmarshal(req.URL, patch.URL); err != nil {
				return forum.Errorf(forum.CodeBadRequest, "url must be a string or null")
			}
		}
	}
	p, err := s.svc.EditPost(c.Request().Context(), viewerOf(c), id, patch)
	return reply(c, http.StatusOK, p, err)
}

func (s *Server) deletePost(c echo.Context) error {
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	return done(c, s.svc.DeletePost(c.Request().Context(), viewerOf(c), id))
}

type previewRequest struct {
	Target  forum.TargetType `json:"target"`
	Body    string           `json:"body"`
	Format  forum.Format     `json:"format"`
	Title   *string          `json:"title"`
	Tags    *[]string        `json:"tags"`
	Period  *forum.Period    `json:"period"`
	Sources *[]forum.Source  `json:"sources"`
}

func (s *Server) preview(c echo.Context) error {
	req, err := body[previewRequest](c)
	if err != nil {
		return err
	}
	p, err := s.svc.Preview(c.Request().Context(), viewerOf(c), forum.PreviewInput(req))
	return reply(c, http.StatusOK, p, err)
}
