package search

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// pipeBatch is a run of ops analysed together.
type pipeBatch struct {
	ops  []op
	an   []*analysed
	done chan struct{}
}

const pipeBatchSize = 256

// pipeline analyses the ops produce yields on one worker per core and
// hands them to consume in the order yielded, on one goroutine.
func pipeline(ctx context.Context, produce func(yield func(op) error) error, consume func(op, *analysed) error) error {
	g, gctx := errgroup.WithContext(ctx)
	work := make(chan *pipeBatch, 16)
	ordered := make(chan *pipeBatch, 16)
	g.Go(func() error {
		defer close(work)
		defer close(ordered)
		b := &pipeBatch{done: make(chan struct{})}
		send := func() error {
			for _, c := range []chan *pipeBatch{ordered, work} {
				select {
				case c <- b:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			b = &pipeBatch{done: make(chan struct{})}
			return nil
		}
		err := produce(func(o op) error {
			b.ops = append(b.ops, o)
			if len(b.ops) < pipeBatchSize {
				return nil
			}
			return send()
		})
		if err == nil && len(b.ops) > 0 {
			err = send()
		}
		return err
	})
	for range max(1, runtime.GOMAXPROCS(0)) {
		g.Go(func() error {
			for b := range work {
				b.an = make([]*analysed, len(b.ops))
				for i, o := range b.ops {
					if o.doc != nil {
						b.an[i] = analyse(o.doc)
					}
				}
				close(b.done)
			}
			return nil
		})
	}
	g.Go(func() error {
		for b := range ordered {
			select {
			case <-b.done:
			case <-gctx.Done():
				return gctx.Err()
			}
			for i, o := range b.ops {
				if err := consume(o, b.an[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return g.Wait()
}
