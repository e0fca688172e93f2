package ingest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/records"
)

func TestFullThenIncrementalLoads(t *testing.T) {
	eachStore(t, func(t *testing.T, s records.Store) {
		ctx := context.Background()
		full := "编号,姓名,出生日期,金额\n0001,张三,1990-01-02,1\n0002,李四,1991-02-03,2\n0003,王五,,3\n0004,赵六,1993-04-05,4\n"
		res, err := Load(ctx, s, small, csvSource("full.csv", full), Options{QuarantineDir: t.TempDir(), LoadID: "L1"}, nil)
		if err != nil {
			t.Fatalf("full Load: %v", err)
		}
		if res.Version.Number != 1 || res.Version.Rows != 4 {
			t.Errorf("full version = %+v", res.Version)
		}
		// Upsert 0002, add 0005, delete 0003 by the operation column and
		// 0004 by the delete list; an unknown operation is rejected.
		inc := "编号,姓名,出生日期,金额,_op\n0002,李四四,1991-02-03,22,U\n0005,钱七,,5,\n0003,,,,D\n0006,孙八,,6,X\n"
		res, err = Load(ctx, s, small, csvSource("inc.csv", inc), Options{QuarantineDir: t.TempDir(), LoadID: "L2",
			Mode: records.Incremental, Deletes: [][]string{{"0004"}}}, nil)
		if err != nil {
			t.Fatalf("incremental Load: %v", err)
		}
		if res.RowsRead != 4 || res.RowsAccepted != 3 || res.RowsRejected != 1 || res.RowsDeleted != 1 {
			t.Errorf("read/accepted/rejected/deleted = %d/%d/%d/%d, want 4/3/1/1", res.RowsRead, res.RowsAccepted, res.RowsRejected, res.RowsDeleted)
		}
		v := res.Version
		if v.Number != 2 || v.Rows != 3 || v.Added != 2 || v.Removed != 3 || v.Deleted != 2 {
			t.Errorf("incremental version = %+v, want 3 rows, 2 added, 3 removed, 2 deleted", v)
		}
		want := []string{
			"0001|张三|1990-01-02|1",
			"0002|李四四|1991-02-03|22",
			"0005|钱七|NULL|5",
		}
		if diff := cmp.Diff(want, rowsOf(t, s, small.Dataset)); diff != "" {
			t.Errorf("rows after incremental load (-want +got):\n%s", diff)
		}
		prov, err := s.Provenance(ctx, small.Dataset, []string{"0002"})
		if err != nil || len(prov) != 2 || prov[0].LoadID != "L1" || prov[0].Until != 2 || prov[1].LoadID != "L2" || prov[1].SourceRow != 1 || prov[1].Source != "inc.csv" {
			t.Errorf("Provenance(0002) = %+v, %v", prov, err)
		}
		// A delete in a full load is rejected, not applied.
		res, err = Load(ctx, s, small, csvSource("full2.csv", "编号,姓名,_op\n0001,张三,D\n0009,周九,\n"), Options{QuarantineDir: t.TempDir()}, nil)
		if err != nil || res.RowsRejected != 1 || res.Version.Rows != 1 {
			t.Errorf("full load with a delete = %+v, %v", res, err)
		}
	})
}
