package fakegithub

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Default and largest page sizes of GitHub's page-numbered lists.
const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// pageOf reads page and per_page from the query. per_page defaults to def
// and is capped at most, as GitHub does.
func pageOf(q url.Values, def, most int) (page, per int) {
	page, _ = strconv.Atoi(q.Get("page"))
	per, _ = strconv.Atoi(q.Get("per_page"))
	if page < 1 {
		page = 1
	}
	if per < 1 {
		per = def
	}
	return page, min(per, most)
}

// paginate sets the Link header for a list of total items and returns the
// bounds of the requested page.
func (s *Server) paginate(c *call, total, page, per int) (lo, hi int) {
	last := max((total+per-1)/per, 1)
	var links []string
	link := func(p int, rel string) {
		q := c.r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		links = append(links, fmt.Sprintf("<%s?%s>; rel=%q", strings.TrimSuffix(s.URL(), "/")+c.path, q.Encode(), rel))
	}
	if page > 1 {
		link(page-1, "prev")
	}
	if page < last {
		link(page+1, "next")
		link(last, "last")
	}
	if page > 1 {
		link(1, "first")
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo = min((page-1)*per, total)
	return lo, min(lo+per, total)
}
