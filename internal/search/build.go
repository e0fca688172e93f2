package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	"golang.org/x/sync/errgroup"
)

// buildDisk writes generation gen with scorch's offline builder: one
// segment, nothing left to merge. The builder analyses documents on the
// goroutine that adds them; here workers analyse them (about a third of
// the work) while the builder writes segments.
//
// The builder cannot replace a document: repeated IDs are held back and
// put once the new index is open.
func (ix *Index) buildDisk(ctx context.Context, gen int, check func(*Doc) error, each func(yield func(Doc) error) error) (bleve.Index, []op, error) {
	path := genPath(ix.dir, gen)
	scratch := filepath.Join(ix.dir, buildPrefix)
	defer os.RemoveAll(scratch)
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, nil, fmt.Errorf("rebuild search index: %w", err)
	}
	m, err := newMapping()
	if err != nil {
		return nil, nil, err
	}

	g, gctx := errgroup.WithContext(ctx)
	docs := make(chan Doc, 256)
	analysed := make(chan index.Document, 256)
	var again []op
	g.Go(func() error {
		defer close(docs)
		seen := map[string]struct{}{}
		return each(func(d Doc) error {
			if err := check(&d); err != nil {
				return err
			}
			if _, dup := seen[d.ID]; dup {
				again = append(again, op{id: d.ID, doc: &d})
				return nil
			}
			seen[d.ID] = struct{}{}
			select {
			case docs <- d:
				return nil
			case <-gctx.Done():
				return gctx.Err()
			}
		})
	})
	workers, _ := errgroup.WithContext(gctx)
	for range max(1, runtime.GOMAXPROCS(0)) {
		workers.Go(func() error {
			for d := range docs {
				doc, err := analyse(m, &d)
				if err != nil {
					return err
				}
				select {
				case analysed <- doc:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(analysed)
		return workers.Wait()
	})
	var b *scorch.Builder
	g.Go(func() error {
		for doc := range analysed {
			if b == nil {
				var err error
				if b, err = newBuilder(path, scratch, m); err != nil {
					return err
				}
			}
			if err := b.Index(doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, nil, fmt.Errorf("rebuild search index: %w", err)
	}
	if b == nil { // the builder cannot make an empty index
		idx, err := newBleve(path)
		return idx, again, err
	}
	if err := b.Close(); err != nil {
		return nil, nil, fmt.Errorf("rebuild search index: %w", err)
	}
	idx, err := openBleve(path)
	if err != nil {
		return nil, nil, err
	}
	if err := idx.SetInternal([]byte(schemaKey), []byte(schemaVersion)); err != nil {
		idx.Close()
		return nil, nil, fmt.Errorf("rebuild search index: %w", err)
	}
	return idx, again, nil
}

// newBuilder lays out a bleve index directory at path, as bleve.NewBuilder
// does, around a scorch builder.
func newBuilder(path, scratch string, m mapping.IndexMapping) (*scorch.Builder, error) {
	mb, err := util.MarshalJSON(m)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, err
	}
	meta := []byte(`{"storage":"` + scorch.Name + `","index_type":"` + scorch.Name + `"}`)
	if err := os.WriteFile(filepath.Join(path, "index_meta.json"), meta, 0o644); err != nil {
		return nil, err
	}
	return scorch.NewBuilder(map[string]any{
		"path":            filepath.Join(path, "store"),
		"batchSize":       rebuildBatch,
		"buildPathPrefix": scratch,
		"internal":        map[string][]byte{string(util.MappingInternalKey): mb},
	})
}

// analyse maps and analyses d as the builder would.
func analyse(m mapping.IndexMapping, d *Doc) (index.Document, error) {
	doc := document.NewDocument(d.ID)
	if err := m.MapDocument(doc, fields(d)); err != nil {
		return nil, fmt.Errorf("index resource %s: %w", d.ID, err)
	}
	doc.AddIDField()
	doc.VisitFields(func(f index.Field) {
		if f.Options().IsIndexed() {
			f.Analyze()
		}
	})
	return analysedDoc{doc}, nil
}

// analysedDoc is a document whose fields are analysed already: the
// builder's own analysis of it does nothing.
type analysedDoc struct{ *document.Document }

func (d analysedDoc) VisitFields(visit index.FieldVisitor) {
	d.Document.VisitFields(func(f index.Field) { visit(analysedField{f}) })
}

// AddIDField does nothing: analyse added it.
func (d analysedDoc) AddIDField() {}

type analysedField struct{ index.Field }

func (analysedField) Analyze() {}
