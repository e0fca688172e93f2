package lineage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pubdata/pubdata/internal/authz"
	"github.com/pubdata/pubdata/internal/store"
)

// The graph reads the catalog's tables directly (resources, data_items,
// standard_elements, organisations): one query each, where going through
// catalog.Service would read every entry's document.

// resource is what the graph needs of a catalog entry.
type resource struct {
	id, code, name, org, orgName, status string
	published                            bool
}

// visible reports whether p may see r: a published entry that is not
// retired, or any entry of an organisation whose drafts p may read.
func visible(p *authz.Principal, r *resource) bool {
	return r.published && r.status != "retired" || p.Can(authz.CatalogReadDraft, r.org)
}

const resourceSelect = `SELECT r.id, r.code, r.name, r.org_id, o.name, r.status, r.published_version
	FROM resources r JOIN organisations o ON o.id = r.org_id`

func scanResource(sc interface{ Scan(...any) error }) (*resource, error) {
	var r resource
	var pub sql.NullInt64
	if err := sc.Scan(&r.id, &r.code, &r.name, &r.org, &r.orgName, &r.status, &pub); err != nil {
		return nil, err
	}
	r.published = pub.Valid
	return &r, nil
}

// resourceOf returns one resource, or nil when there is none.
func resourceOf(ctx context.Context, q store.Querier, id string) (*resource, error) {
	r, err := scanResource(q.QueryRowContext(ctx, resourceSelect+` WHERE r.id = ?`, id))
	if store.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lineage: resource %s: %w", id, err)
	}
	return r, nil
}

// resourceByRef returns the resource whose id or code is ref, or nil
// when there is none.
func resourceByRef(ctx context.Context, q store.Querier, ref string) (*resource, error) {
	r, err := scanResource(q.QueryRowContext(ctx, resourceSelect+` WHERE r.id = ? OR r.code = ?`, ref, ref))
	if store.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lineage: resource %s: %w", ref, err)
	}
	return r, nil
}

// visibleResources returns the resources p may see, by id.
func visibleResources(ctx context.Context, q store.Querier, p *authz.Principal) (map[string]*resource, error) {
	rows, err := q.QueryContext(ctx, resourceSelect+` ORDER BY r.code`)
	if err != nil {
		return nil, fmt.Errorf("lineage: resources: %w", err)
	}
	defer rows.Close()
	out := map[string]*resource{}
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, fmt.Errorf("lineage: resources: %w", err)
		}
		if visible(p, r) {
			out[r.id] = r
		}
	}
	return out, rows.Err()
}

// keyItem is a data item carrying a key element.
type keyItem struct {
	resource, element, elementName, code, name string
}

// keyItems lists the data items carrying one of elements, by element,
// then resource code.
func keyItems(ctx context.Context, q store.Querier, elements []string) ([]keyItem, error) {
	if len(elements) == 0 {
		return nil, nil
	}
	args := make([]any, len(elements))
	for i, e := range elements {
		args[i] = e
	}
	rows, err := q.QueryContext(ctx, `SELECT d.resource_id, d.element_code, e.name, d.code, d.name
		FROM data_items d JOIN standard_elements e ON e.code = d.element_code JOIN resources r ON r.id = d.resource_id
		WHERE d.element_code IN (`+placeholders(len(args))+`) ORDER BY d.element_code, r.code, d.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("lineage: key items: %w", err)
	}
	defer rows.Close()
	var out []keyItem
	for rows.Next() {
		var k keyItem
		if err := rows.Scan(&k.resource, &k.element, &k.elementName, &k.code, &k.name); err != nil {
			return nil, fmt.Errorf("lineage: key items: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	b := make([]byte, 0, 3*n)
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(b)
}
