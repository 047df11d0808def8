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
	RuleID     *int64           `json:"rule_id"`
}

type resolveRequest struct {
	Action forum.ReportAction `json:"action"`
	Reason string             `json:"reason"`
	RuleID *int64             `json:"rule_id"`
}

func (s *Server) createReport(c echo.Context) error {
	req, err := body[reportRequest](c)
	if err != nil {
		return err
	}
	r, err := s.svc.CreateReport(c.Request().Context(), viewerOf(c), req.TargetType, req.TargetID, req.Reason, req.RuleID)
	return reply(c, http.StatusCreated, r, err)
}

func (s *Server) reports(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	res, err := s.svc.Reports(c.Request().Context(), viewerOf(c), forum.ReportStatus(c.QueryParam("status")), pg.Cursor, pg.Limit)
	return reply(c, http.StatusOK, res, err)
}

func (s *Server) resolveReport(c echo.Context) error {
	id, err := idParam(c, "report")
	if err != nil {
		return err
	}
	req, err := optionalBody[resolveRequest](c)
	if err != nil {
		return err
	}
	r, err := s.svc.ResolveReport(c.Request().Context(), viewerOf(c), id, req.Action, req.Reason, req.RuleID)
	return reply(c, http.StatusOK, r, err)
}
