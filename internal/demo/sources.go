package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pubdata/pubdata/internal/store"
)

// sourceItems are the items whose standard elements each resource is the
// authoritative source of, in its region ("one data, one source", CAT-3):
// the provincial resource for 350000 and each city's copy for the city.
var sourceItems = map[string][]string{
	PopulationName: {"GMSFHM", "XM", "XB", "CSRQ", "MZ", "HJDZ", "SJHM", "HJDQHDM"},
	"法人单位基本信息":     {"TYSHXYDM", "DWMC", "FDDBR"},
	"不动产登记信息":      {"BDCDYH"},
	"电子证照目录信息":     {"ZZBH"},
	"社会保险参保信息":     {"SHBZHM"},
}

// insertSources declares the authoritative sources in tx and returns how
// many it declared.
func insertSources(ctx context.Context, tx *store.Tx, rs []seeded) (int, error) {
	n := 0
	taken := map[string]bool{}
	for i := range rs {
		s := &rs[i]
		codes, ok := sourceItems[s.in.t.name]
		if !ok || !s.published() || s.in.level > levelCity {
			continue
		}
		at := pubTime(s).Add(24 * time.Hour)
		for _, it := range s.r.Items {
			if it.Element == "" || !slices.Contains(codes, it.Code) {
				continue
			}
			key := it.Element + "@" + s.r.RegionCode
			if taken[key] {
				continue
			}
			taken[key] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO authoritative_sources (element_code, region_code, resource_id, item_code, org_id, node_id, declared_by, declared_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, it.Element, s.r.RegionCode, s.r.ID, it.Code, s.r.OrgID, s.r.NodeID,
				strings.ToLower(s.r.ProviderCode)+".editor", store.FormatTime(at)); err != nil {
				return n, fmt.Errorf("declare source %s: %w", key, err)
			}
			n++
		}
	}
	return n, nil
}
