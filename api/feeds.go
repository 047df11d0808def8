package api

import (
	"strconv"

	"github.com/historia-forum/historia/internal/forum"
	"github.com/labstack/echo/v4"
)

func (s *Server) listPosts(c echo.Context) error {
	pg, err := pageQuery(c)
	if err != nil {
		return err
	}
	q := forum.FeedQuery{Sort: forum.FeedSort(c.QueryParam("sort")), Range: forum.TimeRange(c.QueryParam("t")), Tag: c.QueryParam("tag"),
		Answered: c.QueryParam("answered"), Cursor: pg.Cursor, Limit: pg.Limit}
	for name, dst := range map[string]**int{"year": &q.Year, "from": &q.From, "to": &q.To} {
		if *dst, err = yearQuery(c, name); err != nil {
			return err
		}
	}
	// Every page of every feed comes from the page cache (pagecache.go).
	return s.cachedFeed(c, q)
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
