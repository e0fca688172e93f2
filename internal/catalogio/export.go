package catalogio

import (
	"context"
	"io"

	"github.com/pubdata/pubdata/internal/catalog"
)

// exportPage is how many entries Export asks the catalog for at a time.
const exportPage = 200

// Export writes every entry matching q that the caller in ctx may see, in
// the import format ("xlsx", "csv" or "json") so that the file imports
// again; q's Offset and Limit are ignored. XLSX and CSV add the columns
// import ignores: 资源代码, 提供方名称, 状态, 分级. 资源序号 is the resource code.
func (t *Transfer) Export(ctx context.Context, w io.Writer, format string, q catalog.ListQuery) error {
	cw, err := newCatalogWriter(w, format, true)
	if err != nil {
		return err
	}
	q.Offset, q.Limit = 0, exportPage
	seen := map[string]bool{}
	for {
		res, err := t.cat.List(ctx, q)
		if err != nil {
			return err
		}
		for i := range res.Items {
			r := &res.Items[i]
			if seen[r.ID] {
				continue
			}
			seen[r.ID] = true
			if err := cw.write(r, r.Code); err != nil {
				return err
			}
		}
		q.Offset += exportPage
		if q.Offset >= res.Total {
			break
		}
	}
	return cw.finish()
}
