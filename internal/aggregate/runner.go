package aggregate

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/ingest"
	"github.com/pubdata/pubdata/internal/quality"
	"github.com/pubdata/pubdata/internal/store"
)

// Start runs queued loads in the background until Stop. Loads that were
// running when the process last stopped (a crash, kill -9) are queued
// again first: their versions were never published, and the record store
// removes what they wrote when it opens.
func (s *Service) Start(ctx context.Context) error {
	if s.stop != nil {
		return nil
	}
	if err := s.Recover(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.loop(ctx)
	}()
	return nil
}

// Recover queues again the loads left running by a previous process.
func (s *Service) Recover(ctx context.Context) error {
	now := store.FormatTime(s.now())
	res, err := s.db.ExecContext(ctx, `UPDATE loads SET state = ?, next_attempt_at = ?, updated_at = ? WHERE state = ?`,
		Queued, now, now, Running)
	if err != nil {
		return fmt.Errorf("requeue interrupted loads: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		s.log.Warn("loads interrupted by the last stop are queued again", "loads", n)
	}
	return nil
}

// Stop cancels the running loads (they are queued again, not failed) and
// waits for the runner to end.
func (s *Service) Stop() {
	if s.stop != nil {
		s.stop()
	}
	s.wg.Wait()
}

func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Service) loop(ctx context.Context) {
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	for {
		s.schedule(ctx)
		for s.claimAndRun(ctx) {
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-t.C:
		}
	}
}

// claimAndRun starts the oldest due load whose dataset is free, if there
// is room, and reports whether it started one.
func (s *Service) claimAndRun(ctx context.Context) bool {
	s.mu.Lock()
	full := s.running >= s.cfg.Concurrent
	s.mu.Unlock()
	if full || ctx.Err() != nil {
		return false
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, dataset FROM loads WHERE state = ? AND next_attempt_at <= ?
		ORDER BY created_at, id LIMIT 50`, Queued, store.FormatTime(s.now()))
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("look for queued loads", "error", err)
		}
		return false
	}
	type due struct{ id, dataset string }
	var cands []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.dataset); err == nil {
			cands = append(cands, d)
		}
	}
	rows.Close()
	for _, d := range cands {
		s.mu.Lock()
		if s.busy[d.dataset] {
			s.mu.Unlock()
			continue
		}
		s.busy[d.dataset] = true
		s.running++
		s.mu.Unlock()
		now := store.FormatTime(s.now())
		res, err := s.db.ExecContext(ctx, `UPDATE loads SET state = ?, attempts = attempts + 1, started_at = ?, finished_at = '',
			bytes = 0, rows_read = 0, rows_accepted = 0, rows_rejected = 0, rows_deleted = 0, error = '', updated_at = ?
			WHERE id = ? AND state = ?`, Running, now, now, d.id, Queued)
		n := int64(0)
		if err == nil {
			n, _ = res.RowsAffected()
		}
		if n != 1 {
			s.release(d.id, d.dataset)
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.release(d.id, d.dataset)
			s.run(ctx, d.id)
		}()
		return true
	}
	return false
}

func (s *Service) release(id, dataset string) {
	s.mu.Lock()
	delete(s.busy, dataset)
	delete(s.live, id)
	s.running--
	s.mu.Unlock()
	s.poke()
}

// run executes one claimed load and records how it ended.
func (s *Service) run(ctx context.Context, id string) {
	l, js, staged, err := s.job(ctx, id)
	if err != nil {
		s.fail(context.WithoutCancel(ctx), id, 0, err, false)
		return
	}
	log := s.log.With("load", id, "resource", l.ResourceCode)
	log.Info("load started", "attempt", l.Attempts, "mode", l.Mode, "bytes", l.TotalBytes)
	if err := os.MkdirAll(s.loadDir(id), 0o750); err != nil {
		s.fail(context.WithoutCancel(ctx), id, l.Attempts, err, true)
		return
	}
	var src ingest.Source
	var closer io.Closer
	var pulled *ingest.CountingReader // what a pull yielded
	commitSource := func(context.Context, store.Querier) error { return nil }
	if l.SourceKind == SourceDB || l.SourceKind == SourceHTTP {
		src, closer, commitSource, err = s.openPull(ctx, l)
		if err != nil {
			s.fail(context.WithoutCancel(ctx), id, l.Attempts, err, true)
			return
		}
		pulled = &ingest.CountingReader{R: src.R}
		src.R = pulled
	} else {
		f, err := os.Open(staged)
		if err != nil {
			s.fail(context.WithoutCancel(ctx), id, l.Attempts, fmt.Errorf("open the staged file: %w", err), false)
			return
		}
		// A pushed batch is held to the dataset's items: a member that
		// names none is an error of its row, not a column ignored.
		src = ingest.Source{Name: l.SourceName, R: f, Size: l.TotalBytes, Format: js.Format, Encoding: js.Encoding,
			Sheet: js.Sheet, HeaderRow: js.HeaderRow, StrictMembers: l.SourceKind == SourcePush}
		closer = f
	}
	defer closer.Close()
	lastSave := time.Time{}
	progress := func(p ingest.Progress) {
		s.mu.Lock()
		s.live[id] = p
		s.mu.Unlock()
		if time.Since(lastSave) >= time.Second {
			lastSave = time.Now()
			s.db.ExecContext(ctx, `UPDATE loads SET bytes = ?, rows_read = ?, rows_accepted = ?, rows_rejected = ?, updated_at = ?
				WHERE id = ? AND state = ?`, p.Bytes, p.RowsRead, p.RowsAccepted, p.RowsRejected, store.FormatTime(s.now()), id, Running)
		}
	}
	res, err := ingest.Load(ctx, s.rec, js.Spec, src, ingest.Options{Mode: l.Mode, LoadID: id, QuarantineDir: s.loadDir(id),
		Workers: s.cfg.Workers, Writers: s.cfg.Writers, Deletes: js.Deletes, Now: s.now}, progress)
	if err != nil {
		if ctx.Err() != nil {
			// Stopped, not failed: queue it again for the next start.
			now := store.FormatTime(s.now())
			s.db.ExecContext(context.WithoutCancel(ctx), `UPDATE loads SET state = ?, attempts = attempts - 1, next_attempt_at = ?,
				updated_at = ? WHERE id = ? AND state = ?`, Queued, now, now, id, Running)
			log.Info("load stopped; queued again for the next start")
			return
		}
		if pulled == nil || pulled.N > 0 {
			s.fail(context.WithoutCancel(ctx), id, l.Attempts, err, true)
			return
		}
		// A pull that yielded nothing at all (an HTTP API with no records:
		// no header either) has nothing to load: the dataset stays as it is.
		res = &ingest.Result{LoadID: id, Dataset: l.Dataset, Mode: l.Mode, Rejections: map[string]int64{}, Warnings: map[string]int64{}}
		if cur, err := s.rec.Current(ctx, l.Dataset); err == nil {
			res.Version = cur
		}
		log.Info("the pull yielded no records; nothing to load")
	}
	var prev string
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(finished_at), '') FROM loads WHERE dataset = ? AND state = ?`,
		l.Dataset, Succeeded).Scan(&prev); err != nil {
		log.Warn("previous load", "error", err)
	}
	var rules []quality.Rule
	if prog, err := quality.CompileAt(js.Spec.Columns, js.Spec.Rules, s.now()); err == nil {
		rules = prog.Rules()
	}
	var prevAt time.Time
	if prev != "" {
		prevAt = store.ParseTime(prev)
	}
	scores := scoresOf(res, rules, js.Cycle, prevAt, s.now())
	out := Outcome{Scores: &scores, Format: res.Format, Encoding: res.Encoding, Header: res.Header, Ignored: res.Ignored,
		Rejections: res.Rejections, Warnings: res.Warnings, Unchecked: res.Unchecked, ElapsedMS: res.Elapsed.Milliseconds(),
	}
	if res.QuarantinePath != "" {
		out.QuarantineFile = filepath.Base(res.QuarantinePath)
	}
	doc, _ := json.Marshal(out)
	now := s.now()
	bg := context.WithoutCancel(ctx)
	// The version is published: apply retention before the job says so.
	if err := s.rec.Retain(bg, l.Dataset, s.cfg.Retain); err != nil {
		log.Warn("retention", "keep", s.cfg.Retain, "error", err)
	}
	err = s.db.InTx(bg, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(bg, `UPDATE loads SET state = ?, bytes = ?, rows_read = ?, rows_accepted = ?, rows_rejected = ?,
			rows_deleted = ?, version = ?, result = ?, staged_path = '', finished_at = ?, updated_at = ? WHERE id = ?`,
			Succeeded, res.Bytes, res.RowsRead, res.RowsAccepted, res.RowsRejected, res.RowsDeleted, res.Version.Number,
			string(doc), store.FormatTime(now), store.FormatTime(now), id); err != nil {
			return err
		}
		if err := commitSource(bg, tx); err != nil {
			return err
		}
		return appendAction(bg, tx, now, "load.succeed", "load", id, l.OrgID, nil, map[string]any{
			"resource": l.ResourceCode, "version": res.Version.Number, "rows_read": res.RowsRead,
			"rows_accepted": res.RowsAccepted, "rows_rejected": res.RowsRejected})
	})
	if err != nil {
		// The version is published but the job record is not updated:
		// say so loudly; the next start would load the file again.
		log.Error("load published but not recorded", "version", res.Version.Number, "error", err)
		return
	}
	if staged != "" {
		os.Remove(staged)
	}
	log.Info("load succeeded", "version", res.Version.Number, "rows_read", res.RowsRead, "rows_accepted", res.RowsAccepted,
		"rows_rejected", res.RowsRejected, "elapsed", res.Elapsed.Round(time.Millisecond))
	if s.cfg.OnSucceeded != nil {
		done, err := s.get(bg, id)
		if err != nil {
			log.Warn("succeeded load not read back for its hooks", "error", err)
			return
		}
		hctx, cancel := context.WithTimeout(bg, time.Minute)
		defer cancel()
		s.cfg.OnSucceeded(hctx, done, res)
	}
}

// job reads what run needs.
func (s *Service) job(ctx context.Context, id string) (*Load, *jobSpec, string, error) {
	l, err := s.get(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	var doc, staged string
	if err := s.db.QueryRowContext(ctx, `SELECT spec, staged_path FROM loads WHERE id = ?`, id).Scan(&doc, &staged); err != nil {
		return nil, nil, "", err
	}
	var js jobSpec
	if err := json.Unmarshal([]byte(doc), &js); err != nil {
		return nil, nil, "", fmt.Errorf("load %s: spec: %w", id, err)
	}
	return l, &js, staged, nil
}

// fail records a failed attempt: bad input fails the load for good;
// anything else is retried with backoff until the attempts run out.
func (s *Service) fail(ctx context.Context, id string, attempts int, cause error, retry bool) {
	e := apperr.As(cause)
	final := !retry || e.Kind != apperr.Internal || attempts >= s.cfg.Attempts
	if e.Kind == apperr.Internal {
		e = &apperr.Error{Kind: apperr.Internal, Message: cause.Error(), ZH: "加载失败：" + cause.Error()}
	}
	doc, _ := json.Marshal(Failure{Code: e.Kind, Message: e.Message, ZH: e.ZH, Fields: e.Fields})
	now := s.now()
	log := s.log.With("load", id, "attempt", attempts, "error", cause)
	var err error
	if final {
		err = s.db.InTx(ctx, func(tx *store.Tx) error {
			var org string
			if err := tx.QueryRowContext(ctx, `SELECT org_id FROM loads WHERE id = ?`, id).Scan(&org); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE loads SET state = ?, error = ?, finished_at = ?, updated_at = ? WHERE id = ?`,
				Failed, string(doc), store.FormatTime(now), store.FormatTime(now), id); err != nil {
				return err
			}
			return appendAction(ctx, tx, now, "load.fail", "load", id, org, nil, map[string]any{"error": e.Message})
		})
		log.Warn("load failed")
	} else {
		next := now.Add(s.cfg.Backoff << max(attempts-1, 0))
		_, err = s.db.ExecContext(ctx, `UPDATE loads SET state = ?, error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?`,
			Queued, string(doc), store.FormatTime(next), store.FormatTime(now), id)
		log.Warn("load attempt failed; retrying", "next", next)
	}
	if err != nil {
		s.log.Error("record a failed load", "load", id, "error", err)
	}
}

// RunNow runs one queued load in the caller's goroutine (the CLI's direct
// mode) and returns it when it ended.
func (s *Service) RunNow(ctx context.Context, id string, progress func(ingest.Progress)) (*Load, error) {
	l, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	// Claim the load, as the runner would: when the runner of this
	// process claimed it first, follow it to its end instead.
	s.mu.Lock()
	if s.busy[l.Dataset] {
		s.mu.Unlock()
		return s.follow(ctx, id)
	}
	now := store.FormatTime(s.now())
	res, err := s.db.ExecContext(ctx, `UPDATE loads SET state = ?, attempts = attempts + 1, started_at = ?, updated_at = ?
		WHERE id = ? AND state = ?`, Running, now, now, id, Queued)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		s.mu.Unlock()
		return s.follow(ctx, id)
	}
	s.busy[l.Dataset] = true
	s.running++
	s.mu.Unlock()
	if progress != nil {
		done := make(chan struct{})
		defer close(done)
		go func() {
			t := time.NewTicker(200 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					s.mu.Lock()
					p, ok := s.live[id]
					s.mu.Unlock()
					if ok {
						progress(p)
					}
				}
			}
		}()
	}
	s.run(ctx, id)
	s.release(id, l.Dataset)
	return s.get(context.WithoutCancel(ctx), id)
}

// follow waits for a load another goroutine runs to end.
func (s *Service) follow(ctx context.Context, id string) (*Load, error) {
	for {
		l, err := s.get(ctx, id)
		if err != nil {
			return nil, err
		}
		if l.State == Succeeded || l.State == Failed {
			return l, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
