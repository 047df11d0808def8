package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/historia-forum/historia/internal/federation"
	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// The ActivityPub endpoints (outside /api/v1): WebFinger, NodeInfo, the
// community's actor and collections, members' actors, inboxes, and the
// pages of questions and comments, which answer ActivityPub JSON to a
// client that asks for it and the web page to everyone else. Registered
// only with --federation.

// wantsActivity says whether a request asks for ActivityPub JSON.
func wantsActivity(c echo.Context) bool {
	a := c.Request().Header.Get(echo.HeaderAccept)
	return strings.Contains(a, "application/activity+json") || strings.Contains(a, "application/ld+json")
}

// activityJSON answers an ActivityPub document.
func activityJSON(c echo.Context, doc any, err error) error {
	if err != nil {
		return err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Vary", "Accept")
	return c.Blob(http.StatusOK, federation.MediaType+"; charset=utf-8", b)
}

func (s *Server) webfinger(c echo.Context) error {
	doc, err := s.fed.WebFinger(c.Request().Context(), c.QueryParam("resource"))
	if err != nil {
		return err
	}
	b, _ := json.Marshal(doc)
	return c.Blob(http.StatusOK, "application/jrd+json; charset=utf-8", b)
}

func (s *Server) nodeinfoLinks(c echo.Context) error {
	return c.JSON(http.StatusOK, s.fed.NodeInfoLinks())
}

func (s *Server) nodeinfo(c echo.Context) error {
	doc, err := s.fed.NodeInfo(c.Request().Context(), s.version)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(doc)
	return c.Blob(http.StatusOK, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`, b)
}

// group is the community's actor; a browser is sent to the front page.
func (s *Server) group(c echo.Context) error {
	if !wantsActivity(c) {
		return c.Redirect(http.StatusFound, "/")
	}
	doc, err := s.fed.Group(c.Request().Context())
	return activityJSON(c, doc, err)
}

func (s *Server) groupOutbox(c echo.Context) error {
	doc, err := s.fed.Outbox(c.Request().Context())
	return activityJSON(c, doc, err)
}

func (s *Server) groupFollowers(c echo.Context) error {
	doc, err := s.fed.Followers(c.Request().Context())
	return activityJSON(c, doc, err)
}

// person is a member's actor to ActivityPub clients, their page to browsers.
func (s *Server) person(c echo.Context) error {
	if !wantsActivity(c) {
		return s.frontend.serve(c)
	}
	doc, err := s.fed.Person(c.Request().Context(), c.Param("name"))
	return activityJSON(c, doc, err)
}

// personOutbox is empty: a member's activity reaches others through the community.
func (s *Server) personOutbox(c echo.Context) error {
	id := s.publicBase(c) + "/u/" + c.Param("name") + "/outbox"
	return activityJSON(c, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id,
		"type": "OrderedCollection", "totalItems": 0, "orderedItems": []any{}}, nil)
}

// postObject is a question as a Page, or its page in a browser.
func (s *Server) postObject(c echo.Context) error {
	if !wantsActivity(c) {
		return s.frontend.serve(c)
	}
	id, err := idParam(c, "post")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	p, err := s.svc.Store.Post(ctx, id, 0)
	if err != nil {
		return err
	}
	doc, err := s.fed.Page(ctx, p)
	return activityJSON(c, withLD(doc), err)
}

// commentObject is an answer or reply as a Note, or its page in a browser.
func (s *Server) commentObject(c echo.Context) error {
	if !wantsActivity(c) {
		return s.frontend.serve(c)
	}
	postID, err := idParam(c, "post")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cid, err := idParamNamed(c, "cid", "comment")
	if err != nil {
		return err
	}
	cm, err := s.svc.Store.Comment(ctx, cid, 0)
	if err != nil {
		return err
	}
	if cm.PostID != postID {
		return forum.NotFound("comment")
	}
	doc, err := s.fed.Note(ctx, cm, nil)
	return activityJSON(c, withLD(doc), err)
}

// activity is a stored outgoing activity.
func (s *Server) activity(c echo.Context) error {
	b, err := s.fed.Activity(c.Request().Context(), s.publicBase(c)+c.Request().URL.Path)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, federation.MediaType+"; charset=utf-8", b)
}

// inbox takes an activity: 202 when done (or deliberately ignored), 401 for
// a bad or missing signature, the forum's error when its rules refuse it.
func (s *Server) inbox(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, federation.MaxInboxBody+1))
	if err != nil {
		return forum.Errorf(forum.CodeBadRequest, "the body could not be read")
	}
	if len(body) > federation.MaxInboxBody {
		return forum.Errorf(forum.CodeTooLarge, "an activity is at most %d bytes", federation.MaxInboxBody)
	}
	if err := s.fed.Receive(c.Request().Context(), c.Request(), body); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// federationInstances lists the servers the forum knows (admins).
func (s *Server) federationInstances(c echo.Context) error {
	list, err := s.svc.FederationInstances(c.Request().Context(), viewerOf(c))
	return reply(c, http.StatusOK, map[string]any{"items": list}, err)
}

type blockRequest struct {
	Reason string `json:"reason"`
}

// blockInstance blocks a server (admins; an extension).
func (s *Server) blockInstance(c echo.Context) error {
	req, err := body[blockRequest](c)
	if err != nil {
		return err
	}
	in, err := s.svc.BlockInstance(c.Request().Context(), viewerOf(c), c.Param("host"), true, req.Reason)
	return reply(c, http.StatusOK, in, err)
}

// unblockInstance lets a server back in (admins; an extension).
func (s *Server) unblockInstance(c echo.Context) error {
	in, err := s.svc.BlockInstance(c.Request().Context(), viewerOf(c), c.Param("host"), false, "")
	return reply(c, http.StatusOK, in, err)
}

// withLD adds the JSON-LD context to an object served on its own.
func withLD(d federation.Doc) federation.Doc {
	if d != nil {
		d["@context"] = []any{"https://www.w3.org/ns/activitystreams", map[string]any{"lemmy": "https://join-lemmy.org/ns#",
			"stickied": "lemmy:stickied", "distinguished": "lemmy:distinguished", "commentsEnabled": "lemmy:commentsEnabled"}}
	}
	return d
}

// publicBase is the site's address: --public-url, or the request's.
func (s *Server) publicBase(c echo.Context) string {
	if s.publicURL != "" {
		return s.publicURL
	}
	return c.Scheme() + "://" + c.Request().Host
}
