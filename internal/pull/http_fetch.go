package pull

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
)

var errForeignRedirect = errors.New("refused a redirect to another host")

// sameHost refuses a redirect to another host than the first request's:
// http.Client would send it the source's headers (all but a few standard
// ones), API keys included.
func sameHost(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if first := via[0].URL; req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		return fmt.Errorf("%w from %s to %s", errForeignRedirect, first.Host, req.URL.Host)
	}
	return nil
}

// fetch gets one page's body.
func (s HTTPSource) fetch(ctx context.Context, u *url.URL, page int) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, pageError(page, u, err)
	}
	req.Header.Set("Accept", "application/json")
	for k, v := range s.Headers {
		req.Header.Set(k, v)
	}
	resp, err := s.Client.Do(req)
	if errors.Is(err, errForeignRedirect) {
		return nil, pageError(page, u, errors.Unwrap(err))
	}
	if err != nil {
		return nil, fmt.Errorf("page %d (GET %s): %w", page, where(u), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("page %d (GET %s): read: %w", page, where(u), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := fmt.Sprintf("page %d (GET %s): status %s: %s", page, where(u), resp.Status, snippet(body))
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout {
			return nil, errors.New(msg) // may pass: the runner retries
		}
		return nil, apperr.New(apperr.Invalid, msg, fmt.Sprintf("第 %d 页（GET %s）返回状态 %s", page, where(u), resp.Status))
	}
	if len(body) > maxPageBytes {
		return nil, pageError(page, u, fmt.Errorf("the page is larger than %d MiB", maxPageBytes>>20))
	}
	return body, nil
}

// where names a page's URL without its query, which may hold a key.
func where(u *url.URL) string { return u.Host + u.Path }

// snippet is the start of a body, for an error message.
func snippet(b []byte) string {
	s := strings.ToValidUTF8(string(b[:min(len(b), 200)]), "")
	return strings.Join(strings.Fields(s), " ")
}

// pageError is an error about what a page holds: retrying will not help.
func pageError(page int, u *url.URL, err error) error {
	return &apperr.Error{Kind: apperr.Invalid,
		Message: fmt.Sprintf("page %d (GET %s): %v", page, where(u), err),
		ZH:      fmt.Sprintf("第 %d 页（GET %s）内容有误：%v", page, where(u), err),
		Err:     err}
}
