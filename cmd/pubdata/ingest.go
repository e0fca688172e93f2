package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/pubdata/pubdata/internal/aggregate"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/records"
	"github.com/pubdata/pubdata/internal/tabular"
)

type ingestFlags struct {
	resource, mode, format, encoding, sheet, mapping string
	server, token, rejects                           string
	headerRow                                        int
	noWait                                           bool
}

func ingestCmd() *cobra.Command {
	var o options
	var f ingestFlags
	c := &cobra.Command{
		Use:   "ingest --resource ID FILE",
		Short: "Load a file (CSV, TSV, XLSX, JSON, NDJSON, Parquet) into a resource's dataset",
		Long: `Load a file into the dataset of a published resource, checking every row
against its quality rules. Rejected rows are kept with their reasons;
--rejects FILE saves them.

Against a running server (--server URL --token TOKEN, or PUBDATA_SERVER and
PUBDATA_TOKEN) the file is uploaded and the load followed until it ends.
Without --server the load runs here, on --data DIR, acting as --as (the
server must not be running on that directory).`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if f.resource == "" {
				return errors.New("--resource is required (the resource's id or code)")
			}
			if f.server != "" {
				return ingestRemote(c.Context(), f, args[0])
			}
			return ingestLocal(c.Context(), &o, f, args[0])
		},
	}
	fl := c.Flags()
	fl.StringVar(&f.resource, "resource", "", "the resource: its id, or its code such as 105001/000001")
	fl.StringVar(&f.mode, "mode", "full", "full (replace the dataset) or incremental (upsert by the key items; _op=D deletes)")
	fl.StringVar(&f.format, "format", "", "csv, tsv, xlsx, json, ndjson or parquet (default: from the file extension)")
	fl.StringVar(&f.encoding, "encoding", "", "CSV encoding: utf-8, gbk or gb18030 (default: detect)")
	fl.StringVar(&f.sheet, "sheet", "", "XLSX sheet (default: the first)")
	fl.IntVar(&f.headerRow, "header-row", 0, "line or row of the header (default: found)")
	fl.StringVar(&f.mapping, "mapping", "", `JSON object mapping source headers to data items, e.g. {"身份证号":"公民身份号码"}`)
	fl.StringVar(&f.server, "server", os.Getenv("PUBDATA_SERVER"), "URL of a running pubdata server, e.g. http://127.0.0.1:8080")
	fl.StringVar(&f.token, "token", os.Getenv("PUBDATA_TOKEN"), "API token for --server (POST /api/v1/auth/login)")
	fl.StringVar(&f.rejects, "rejects", "", "save the rejected rows with their reasons to this CSV file")
	fl.BoolVar(&f.noWait, "no-wait", false, "with --server: print the load id and return without following it")
	o.nodeFlags(c)
	o.recordFlags(c)
	o.asFlag(c)
	return c
}

func printLoad(l *aggregate.Load) {
	fmt.Printf("load %s: %s; rows read %d, accepted %d, rejected %d", l.ID, l.State, l.RowsRead, l.RowsAccepted, l.RowsRejected)
	if l.RowsDeleted > 0 {
		fmt.Printf(", deleted %d", l.RowsDeleted)
	}
	if l.Version > 0 {
		fmt.Printf("; dataset version %d", l.Version)
	}
	if l.RowsPerSec > 0 {
		fmt.Printf(" (%.0f rows/s)", l.RowsPerSec)
	}
	fmt.Println()
	if l.Outcome != nil {
		for rule, n := range l.Outcome.Rejections {
			fmt.Printf("  rejected by %s: %d\n", rule, n)
		}
		if len(l.Outcome.Ignored) > 0 {
			fmt.Printf("  columns not loaded (no data item): %s\n", strings.Join(l.Outcome.Ignored, ", "))
		}
	}
	if l.Error != nil {
		fmt.Fprintf(os.Stderr, "  %s (%s)\n", l.Error.ZH, l.Error.Message)
		for _, fe := range l.Error.Fields {
			fmt.Fprintf(os.Stderr, "  %s: %s (%s)\n", fe.Field, fe.ZH, fe.Message)
		}
	}
}

// bytesBar follows a load's bytes.
type bytesBar struct{ bar *progressbar.ProgressBar }

func (b *bytesBar) update(total, done, read, rejected int64) {
	if b.bar == nil {
		if total <= 0 {
			total = -1
		}
		b.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowBytes(true),
			progressbar.OptionSetDescription("loading"), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionSetPredictTime(true), progressbar.OptionFullWidth())
	}
	b.bar.Describe(fmt.Sprintf("rows %d, rejected %d", read, rejected))
	b.bar.Set64(done)
}

func (b *bytesBar) finish() {
	if b.bar != nil {
		b.bar.Finish()
		fmt.Fprintln(os.Stderr)
	}
}

func ingestLocal(ctx context.Context, o *options, f ingestFlags, path string) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	a, actx, err := o.asUser(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	id := f.resource
	if strings.Contains(id, "/") {
		r, err := a.Catalog.GetByCode(actx, id)
		if err != nil {
			return err
		}
		id = r.ID
	}
	up := aggregate.Upload{Body: file, Name: filepath.Base(path), Format: tabular.Format(f.format), Encoding: tabular.Encoding(f.encoding),
		Sheet: f.sheet, HeaderRow: f.headerRow, Mode: records.Mode(f.mode)}
	if f.mapping != "" {
		if err := json.Unmarshal([]byte(f.mapping), &up.Mapping); err != nil {
			return fmt.Errorf("--mapping: %w", err)
		}
	}
	l, err := a.Aggregate.Submit(actx, id, up)
	if err != nil {
		return err
	}
	var bar bytesBar
	l, err = a.Aggregate.RunNow(actx, l.ID, func(p ingest.Progress) { bar.update(p.TotalBytes, p.Bytes, p.RowsRead, p.RowsRejected) })
	bar.finish()
	if err != nil {
		return err
	}
	printLoad(l)
	if f.rejects != "" && l.State == aggregate.Succeeded {
		rc, _, err := a.Aggregate.Rejects(actx, l.ID)
		if err != nil {
			return err
		}
		defer rc.Close()
		if err := saveTo(f.rejects, rc); err != nil {
			return err
		}
		fmt.Printf("rejected rows saved to %s\n", f.rejects)
	}
	if l.State != aggregate.Succeeded {
		return errors.New("the load failed; the dataset is unchanged")
	}
	return nil
}

func saveTo(path string, r io.Reader) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// client talks to a running server.
type client struct {
	base, token string
	http        *http.Client
}

func (c *client) do(ctx context.Context, method, path string, body io.Reader, header http.Header, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.base, "/")+path, body)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		var e struct {
			Error struct {
				Code, Message string
				Fields        []struct{ Field, Message string }
			}
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if json.Unmarshal(b, &e) == nil && e.Error.Code != "" {
			msg := fmt.Sprintf("%s %s: %d %s: %s", method, path, resp.StatusCode, e.Error.Code, e.Error.Message)
			for _, fe := range e.Error.Fields {
				msg += fmt.Sprintf("\n  %s: %s", fe.Field, fe.Message)
			}
			return errors.New(msg)
		}
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if w, ok := out.(io.Writer); ok {
		_, err := io.Copy(w, resp.Body)
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

var mediaTypes = map[string]string{
	"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/json", "ndjson": "application/x-ndjson",
	"jsonl": "application/x-ndjson", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"parquet": "application/vnd.apache.parquet",
}

func ingestRemote(ctx context.Context, f ingestFlags, path string) error {
	if f.token == "" {
		return errors.New("--token is required with --server (log in with POST /api/v1/auth/login)")
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return err
	}
	cl := &client{base: f.server, token: f.token, http: &http.Client{}}
	format := f.format
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	}
	ct, ok := mediaTypes[format]
	if !ok {
		ct = "application/octet-stream"
	}
	if f.encoding != "" && (ct == "text/csv" || ct == "text/tab-separated-values") {
		ct += "; charset=" + f.encoding
	}
	q := url.Values{"mode": {f.mode}, "name": {filepath.Base(path)}}
	for k, v := range map[string]string{"format": f.format, "encoding": f.encoding, "sheet": f.sheet, "mapping": f.mapping} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.headerRow > 0 {
		q.Set("header_row", fmt.Sprint(f.headerRow))
	}
	var bar bytesBar
	up := progressbar.DefaultBytes(fi.Size(), "uploading")
	body := io.TeeReader(file, up)
	var l aggregate.Load
	err = cl.do(ctx, "POST", "/api/v1/resources/"+url.PathEscape(f.resource)+"/loads?"+q.Encode(), body,
		http.Header{"Content-Type": {ct}}, &l)
	up.Finish()
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	if f.noWait {
		fmt.Println(l.ID)
		return nil
	}
	for l.State == aggregate.Queued || l.State == aggregate.Running {
		select {
		case <-ctx.Done():
			bar.finish()
			fmt.Fprintf(os.Stderr, "stopped following load %s; it goes on on the server\n", l.ID)
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
		if err := cl.do(ctx, "GET", "/api/v1/loads/"+l.ID, nil, nil, &l); err != nil {
			return err
		}
		if l.State == aggregate.Running {
			bar.update(l.TotalBytes, l.Bytes, l.RowsRead, l.RowsRejected)
		}
	}
	bar.finish()
	printLoad(&l)
	if f.rejects != "" && l.State == aggregate.Succeeded {
		out, err := os.Create(f.rejects)
		if err != nil {
			return err
		}
		if err := cl.do(ctx, "GET", "/api/v1/loads/"+l.ID+"/rejects?format=csv", nil, nil, out); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
		fmt.Printf("rejected rows saved to %s\n", f.rejects)
	}
	if l.State != aggregate.Succeeded {
		return errors.New("the load failed; the dataset is unchanged")
	}
	return nil
}
