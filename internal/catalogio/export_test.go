package catalogio_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/catalog"
)

// filled is what a user fills of a resource (and import keeps), by name.
func filled(t *testing.T, e *env, ids []string) map[string]catalog.Resource {
	t.Helper()
	out := map[string]catalog.Resource{}
	for _, id := range ids {
		r, err := e.app.Catalog.Get(e.admin, id)
		if err != nil {
			t.Fatal(err)
		}
		out[r.Name] = catalog.Resource{Name: r.Name, ClassCode: r.ClassCode, ProviderCode: r.ProviderCode, Summary: r.Summary,
			FormatClass: r.FormatClass, FormatType: r.FormatType, Items: r.Items, Share: r.Share, Open: r.Open,
			UpdateCycle: r.UpdateCycle, ReleaseDate: r.ReleaseDate, System: r.System, Related: r.Related,
			Keywords: r.Keywords, Level: r.Level, Sensitivity: r.Sensitivity}
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	src := newEnv(t)
	rep := src.importFile(t, src.admin, synthetic(t, "json", 40), "json", catalog.ImportOptions{})
	if rep.Imported != 40 {
		t.Fatalf("Import = %d imported, errors %+v", rep.Imported, rep.Errors)
	}
	want := filled(t, src, rep.IDs)
	for _, format := range []string{"xlsx", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := src.app.Transfer.Export(src.admin, &buf, format, catalog.ListQuery{}); err != nil {
				t.Fatalf("Export: %v", err)
			}
			dst := newEnv(t)
			rep := dst.importFile(t, dst.admin, buf.Bytes(), format, catalog.ImportOptions{})
			if rep.Imported != 40 || len(rep.Errors) != 0 {
				t.Fatalf("Import of the export = %d imported, errors %+v, want 40", rep.Imported, rep.Errors)
			}
			if diff := cmp.Diff(want, filled(t, dst, rep.IDs)); diff != "" {
				t.Errorf("round trip mismatch (-exported +imported):\n%s", diff)
			}
		})
	}
}

func TestExportFiltered(t *testing.T) {
	e := newEnv(t)
	if rep := e.importFile(t, e.admin, synthetic(t, "json", 30), "json", catalog.ImportOptions{}); rep.Imported != 30 {
		t.Fatalf("Import = %d imported", rep.Imported)
	}
	var buf bytes.Buffer
	if err := e.app.Transfer.Export(e.admin, &buf, "json", catalog.ListQuery{Filters: map[string][]string{"level": {"general"}}}); err != nil {
		t.Fatal(err)
	}
	e2 := newEnv(t)
	rep := e2.importFile(t, e2.admin, buf.Bytes(), "json", catalog.ImportOptions{})
	if rep.Imported == 0 || rep.Imported >= 30 {
		t.Errorf("export of general data only held %d of 30 entries, want some but not all", rep.Imported)
	}
	for _, r := range filled(t, e2, rep.IDs) {
		if r.Level != "general" {
			t.Errorf("%s has level %s, want general only", r.Name, r.Level)
		}
	}
}
