package web

import (
	"net/url"
	"strconv"
)

// pageParam reads the 1-based page number of a list's query (1 when
// absent or not a positive number).
func pageParam(q url.Values) int {
	page, _ := strconv.Atoi(q.Get("page"))
	return max(page, 1)
}

// pager is the page links under a list.
type pager struct {
	Page, Pages int
	Prev, Next  string
	Links       []pageLink
}

type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool // an ellipsis between numbers
}

// newPager shows the first and last page and two pages either side of the
// current one.
func newPager(offset, limit, total int, href func(page int) string) pager {
	if limit <= 0 {
		limit = 20
	}
	pg := pager{Page: offset/limit + 1, Pages: (total + limit - 1) / limit}
	if pg.Pages <= 1 {
		return pg
	}
	if pg.Page > 1 {
		pg.Prev = href(pg.Page - 1)
	}
	if pg.Page < pg.Pages {
		pg.Next = href(pg.Page + 1)
	}
	last := 0
	for n := 1; n <= pg.Pages; n++ {
		if n != 1 && n != pg.Pages && (n < pg.Page-2 || n > pg.Page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			pg.Links = append(pg.Links, pageLink{Gap: true})
		}
		pg.Links = append(pg.Links, pageLink{N: n, Href: href(n), Current: n == pg.Page})
		last = n
	}
	return pg
}
