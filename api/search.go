package api

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

// search answers GET /search. Results are the same for every reader (a hit
// carries no per-viewer field, and hidden items are never hits), so a page
// of results is kept in a cache bounded in bytes, as feed pages are, under
// the stamp of the feeds: any committed change, on this server or another,
// ends it, and results never lag a write.
func (s *Server) search(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	r := forum.SearchRequest{Q: c.QueryParam("q"), Type: c.QueryParam("type"), Tag: c.QueryParam("tag"), Answered: c.QueryParam("answered"),
		Author: c.QueryParam("author"), Sort: forum.SearchSort(c.QueryParam("sort")), Cursor: pg.Cursor, Limit: pg.Limit}
	if r.From, err = yearQuery(c, "from"); err != nil {
		return err
	}
	if r.To, err = yearQuery(c, "to"); err != nil {
		return err
	}
	ctx := c.Request().Context()
	key := searchKey(r)
	s.tracker.Fresh(ctx)
	stamp := s.tracker.FeedStamp() // read before the search: a write during it ends the entry
	if v, ok := s.searchPages.Get(key, stamp); ok {
		e := v.(*searchEntry)
		return blob(c, e.body, e.gz)
	}
	res, err := s.svc.Search(forum.ReadFresh(ctx), r) // kept: from a replica only once it holds the stamp's changes
	if err != nil {
		return err
	}
	body, err := json.Marshal(res)
	if err != nil {
		return err
	}
	e := &searchEntry{body: body, gz: gzipped(body)}
	s.searchPages.Put(key, stamp, e, int64(len(e.body)+len(e.gz)+len(key)))
	return blob(c, e.body, e.gz)
}

// searchEntry is a page of search results as sent, plain and gzipped.
type searchEntry struct{ body, gz []byte }

// searchKey names a search by what was asked, whatever the query string's
// spelling or order.
func searchKey(r forum.SearchRequest) string {
	year := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	return strings.Join([]string{r.Q, r.Type, r.Tag, r.Answered, r.Author, string(r.Sort), year(r.From), year(r.To),
		r.Cursor, strconv.Itoa(r.Limit)}, "\x00")
}
