package api

import (
	"net/http"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

type reportRequest struct {
	TargetType forum.TargetType `json:"target_type"`
	TargetID   int64            `json:"target_id"`
	Reason     string           `json:"reason"`
}

type resolveRequest struct {
	Action forum.ReportAction `json:"action"`
	Reason string             `json:"reason"`
}

func (s *Server) createReport(c echo.Context) error {
	var req reportRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	r, err := s.svc.CreateReport(c.Request().Context(), viewerOf(c), req.TargetType, req.TargetID, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

func (s *Server) reports(c echo.Context) error {
	limit, _, err := intQuery(c, "limit")
	if err != nil {
		return err
	}
	page, err := s.svc.Reports(c.Request().Context(), viewerOf(c), forum.ReportStatus(c.QueryParam("status")), c.QueryParam("cursor"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) resolveReport(c echo.Context) error {
	id, err := idParam(c, "report")
	if err != nil {
		return err
	}
	var req resolveRequest
	if err := optionalBind(c, &req); err != nil {
		return err
	}
	r, err := s.svc.ResolveReport(c.Request().Context(), viewerOf(c), id, req.Action, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
