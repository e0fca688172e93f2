package pull

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/tabular"
)

// HTTPSource is a JSON API whose responses hold records, page by page.
type HTTPSource struct {
	// URL is the first page, an http or https URL.
	URL string
	// Records is the dot path of the array of records in a response
	// ("data.items"; a number indexes an array); "" when the response is
	// the array. A missing array fails the pull, a null one is empty.
	Records string
	Paging  Paging
	// Headers are sent with every request (an API key, say). Keep them
	// sealed (Sealer).
	Headers map[string]string
	// MaxPages caps the pages of a pull (1000 when 0): a source with more
	// fails rather than loading part of its records.
	MaxPages int
	// Timeout bounds each page's request and body (30 s when 0).
	Timeout time.Duration
	// Client makes the requests; when nil, a plain http.Client that
	// follows redirects only on URL's host, so that Headers go nowhere
	// else.
	Client *http.Client
}

// PagingKind is how an API splits its records into pages.
type PagingKind string

const (
	// NoPaging fetches URL once.
	NoPaging PagingKind = ""
	// PageNumber counts pages in a query parameter.
	PageNumber PagingKind = "page"
	// OffsetLimit sends the number of records already read.
	OffsetLimit PagingKind = "offset"
	// NextLink follows the link, or sends the cursor, found in each page.
	NextLink PagingKind = "next"
)

// Paging says how to ask for the next page and when to stop.
type Paging struct {
	Kind PagingKind
	// Param is the page number's parameter (PageNumber; "page" when
	// empty) or the offset's (OffsetLimit; "offset").
	Param string
	// Size, when not 0, is sent in SizeParam ("page_size" for PageNumber,
	// "limit" for OffsetLimit and NextLink); a page with fewer records
	// than Size is the last. Size must not exceed the API's own cap, or
	// the first short page ends the pull early. With Size 0 an empty page
	// ends the pull.
	Size      int
	SizeParam string
	// ZeroBased numbers pages from 0 rather than 1 (PageNumber).
	ZeroBased bool
	// Next is the dot path, in a response, of the next page's URL
	// (absolute or relative; it must stay on URL's host) or, with
	// Cursor set, of the cursor sent in the parameter Cursor (NextLink).
	// A missing, null or empty value ends the pull.
	Next   string
	Cursor string
}

// Defaults.
const (
	defaultMaxPages = 1000
	defaultTimeout  = 30 * time.Second
	maxPageBytes    = 256 << 20
)

// Validate checks the source's fields.
func (s HTTPSource) Validate() error {
	var errs apperr.Fields
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs.Add("url", "the URL must be an http or https URL", "URL 必须是 http 或 https 地址")
	}
	if !validPath(s.Records) {
		errs.Add("records", "the records path "+strconv.Quote(s.Records)+" has an empty part", "记录路径"+strconv.Quote(s.Records)+"含有空的部分")
	}
	switch s.Paging.Kind {
	case NoPaging, PageNumber, OffsetLimit:
	case NextLink:
		if s.Paging.Next == "" || !validPath(s.Paging.Next) {
			errs.Add("paging.next", "next-link paging needs the path of the next link or cursor", "按下一页链接分页时须指定链接或游标的路径")
		}
	default:
		errs.Add("paging.kind", "unknown paging "+strconv.Quote(string(s.Paging.Kind))+": use page, offset or next",
			"未知的分页方式"+strconv.Quote(string(s.Paging.Kind))+"，可选 page、offset、next")
	}
	if s.Paging.Size < 0 {
		errs.Add("paging.size", "the page size must not be negative", "每页条数不能为负数")
	}
	if s.MaxPages < 0 {
		errs.Add("max_pages", "the page cap must not be negative", "最大页数不能为负数")
	}
	for k := range s.Headers {
		if k == "" || strings.ContainsAny(k, " :\r\n") {
			errs.Add("headers", "invalid header name "+strconv.Quote(k), "无效的请求头名称"+strconv.Quote(k))
		}
	}
	return errs.Err()
}

// validPath reports whether a dot path has no empty part ("" is the
// response itself).
func validPath(p string) bool {
	return p == "" || !strings.Contains("."+p+".", "..")
}

// Open starts the pull: the records stream, as NDJSON, through the
// returned source while the pages are fetched. Close the closer when
// done; a failed page fails the read of the source.
func (s HTTPSource) Open(ctx context.Context) (ingest.Source, io.Closer, error) {
	if err := s.Validate(); err != nil {
		return ingest.Source{}, nil, err
	}
	if s.MaxPages == 0 {
		s.MaxPages = defaultMaxPages
	}
	if s.Timeout == 0 {
		s.Timeout = defaultTimeout
	}
	if s.Client == nil {
		s.Client = &http.Client{CheckRedirect: sameHost}
	}
	ctx, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		bw := bufio.NewWriterSize(pw, 64<<10)
		err := s.run(ctx, bw)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	u, _ := url.Parse(s.URL)
	src := ingest.Source{Name: u.Host + u.Path, R: pr, Format: tabular.NDJSON}
	return src, closerFunc(func() error {
		pr.CloseWithError(errClosed)
		cancel()
		<-done
		return nil
	}), nil
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// run fetches the pages and writes their records to w, one line each.
func (s HTTPSource) run(ctx context.Context, w io.Writer) error {
	base, _ := url.Parse(s.URL)
	pg := s.Paging
	number := 1
	if pg.ZeroBased {
		number = 0
	}
	offset := 0
	next := s.pageURL(base, number, offset, "")
	for page := 1; ; page++ {
		if page > s.MaxPages {
			return apperr.New(apperr.Invalid,
				fmt.Sprintf("the source has more than %d pages (max pages): raise the cap or narrow the request", s.MaxPages),
				fmt.Sprintf("数据源超过 %d 页（最大页数）：请调高上限或缩小请求范围", s.MaxPages))
		}
		body, err := s.fetch(ctx, next, page)
		if err != nil {
			return err
		}
		recs, link, err := parsePage(body, s.Records, pg.Next)
		if err != nil {
			return pageError(page, next, err)
		}
		for i, r := range recs {
			if len(r) == 0 || r[0] != '{' {
				return pageError(page, next, fmt.Errorf("record %d is not an object", i+1))
			}
			if _, err := w.Write(r); err != nil {
				return err
			}
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		short := len(recs) == 0 || (pg.Size > 0 && len(recs) < pg.Size)
		switch pg.Kind {
		case NoPaging:
			return nil
		case PageNumber:
			if short {
				return nil
			}
			number++
			next = s.pageURL(base, number, 0, "")
		case OffsetLimit:
			if short {
				return nil
			}
			offset += len(recs)
			next = s.pageURL(base, 0, offset, "")
		case NextLink:
			if link == "" {
				return nil
			}
			if pg.Cursor != "" {
				next = s.pageURL(base, 0, 0, link)
				continue
			}
			ref, err := next.Parse(link)
			if err != nil || ref.Scheme != base.Scheme || ref.Host != base.Host {
				return pageError(page, next, fmt.Errorf("the next link %q does not stay on %s://%s", link, base.Scheme, base.Host))
			}
			next = ref
		}
	}
}

// pageURL is the URL of a page built from the base URL: its page number,
// offset or cursor, and size.
func (s HTTPSource) pageURL(base *url.URL, number, offset int, cursor string) *url.URL {
	pg := s.Paging
	q := base.Query()
	set := func(param, def, value string) {
		if param == "" {
			param = def
		}
		q.Set(param, value)
	}
	switch pg.Kind {
	case PageNumber:
		set(pg.Param, "page", strconv.Itoa(number))
	case OffsetLimit:
		set(pg.Param, "offset", strconv.Itoa(offset))
	case NextLink:
		if cursor != "" {
			q.Set(pg.Cursor, cursor)
		}
	}
	if pg.Size > 0 && pg.Kind != NoPaging {
		def := "limit"
		if pg.Kind == PageNumber {
			def = "page_size"
		}
		set(pg.SizeParam, def, strconv.Itoa(pg.Size))
	}
	u := *base
	u.RawQuery = q.Encode()
	return &u
}
