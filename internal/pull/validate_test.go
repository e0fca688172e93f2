package pull

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pubdata/pubdata/internal/apperr"
)

// fieldsOf returns the fields of an Invalid error, nil for nil.
func fieldsOf(err error) []string {
	if err == nil {
		return nil
	}
	var e *apperr.Error
	if !errors.As(err, &e) || e.Kind != apperr.Invalid {
		return []string{"not invalid: " + err.Error()}
	}
	var out []string
	for _, f := range e.Fields {
		if f.ZH == "" {
			out = append(out, "no chinese: "+f.Field)
		}
		out = append(out, f.Field)
	}
	return out
}

func TestDBSourceValidate(t *testing.T) {
	const dsn = "postgres://x@127.0.0.1/db"
	for _, tt := range []struct {
		name string
		give DBSource
		want []string
	}{
		{"table", DBSource{Driver: "postgres", DSN: dsn, Table: "public.人口_2024", Watermark: "updated_at"}, nil},
		{"query", DBSource{Driver: "mysql", DSN: dsn, Query: "select a, b from t where c = 1;"}, nil},
		{"with query", DBSource{Driver: "mysql", DSN: dsn, Query: "WITH x AS (SELECT 1 AS a) SELECT * FROM x"}, nil},
		{"nothing", DBSource{}, []string{"driver", "dsn", "table"}},
		{"unknown driver", DBSource{Driver: "oracle", DSN: dsn, Table: "t"}, []string{"driver"}},
		{"table and query", DBSource{Driver: "postgres", DSN: dsn, Table: "t", Query: "select 1"}, []string{"query"}},
		{"quote in table", DBSource{Driver: "postgres", DSN: dsn, Table: `t" ; drop table x; --`}, []string{"table"}},
		{"three-part table", DBSource{Driver: "postgres", DSN: dsn, Table: "a.b.c"}, []string{"table"}},
		{"table starts with a digit", DBSource{Driver: "postgres", DSN: dsn, Table: "1t"}, []string{"table"}},
		{"empty schema", DBSource{Driver: "postgres", DSN: dsn, Table: ".t"}, []string{"table"}},
		{"bad watermark", DBSource{Driver: "mysql", DSN: dsn, Table: "t", Watermark: "a`b"}, []string{"watermark"}},
		{"qualified watermark", DBSource{Driver: "mysql", DSN: dsn, Table: "t", Watermark: "t.a"}, []string{"watermark"}},
		{"two statements", DBSource{Driver: "postgres", DSN: dsn, Query: "select 1; drop table t"}, []string{"query"}},
		{"not a select", DBSource{Driver: "postgres", DSN: dsn, Query: "delete from t"}, []string{"query"}},
		{"select in a word", DBSource{Driver: "postgres", DSN: dsn, Query: "selectx from t"}, []string{"query"}},
		{"semicolon in a literal", DBSource{Driver: "postgres", DSN: dsn, Query: "select ';' as a"}, []string{"query"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, fieldsOf(tt.give.Validate())); diff != "" {
				t.Errorf("Validate fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenInvalid(t *testing.T) {
	ctx := context.Background()
	for _, give := range []DBSource{
		{Driver: "postgres", DSN: "postgres://x@127.0.0.1/db", Table: "t;"},
		{Driver: "mysql", DSN: "not a dsn", Table: "t"},
		{Driver: "postgres", DSN: "host=127.0.0.1 port=notaport", Table: "t"},
	} {
		if _, err := give.Open(ctx, ""); apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("Open(%+v) = %v, want an invalid error", give, err)
		}
	}
}

func TestQuote(t *testing.T) {
	for _, tt := range []struct {
		d          dialect
		give, want string
	}{
		{postgres, "public.t", `"public"."t"`},
		{postgres, `a"b`, `"a""b"`},
		{mysql, "db.t", "`db`.`t`"},
		{mysql, "a`b", "`a``b`"},
	} {
		if got := tt.d.table(tt.give); got != tt.want {
			t.Errorf("%s table(%q) = %s, want %s", tt.d.name, tt.give, got, tt.want)
		}
	}
}

func FuzzSelectQuery(f *testing.F) {
	for _, s := range []string{"select 1", "SELECT a FROM t;", "with x as (select 1) select * from x", "select 1; drop table t", "  ;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, ok := selectQuery(q)
		if !ok {
			return
		}
		for _, c := range got {
			if c == ';' {
				t.Fatalf("selectQuery(%q) = %q, which holds a semicolon", q, got)
			}
		}
		if _, ok := selectQuery(got); !ok {
			t.Fatalf("selectQuery(%q) = %q, which it does not accept", q, got)
		}
	})
}

func FuzzParsePage(f *testing.F) {
	for _, s := range []string{`[{"a":1}]`, `{"data":{"items":[{"a":1}]},"next":"x"}`, `{"data":null}`, `[1,2]`, `{"a":[{"b":[]}]}`} {
		f.Add([]byte(s), "data.items", "next")
	}
	f.Fuzz(func(t *testing.T, body []byte, records, next string) {
		recs, _, err := parsePage(body, records, next)
		if err != nil {
			return
		}
		for _, r := range recs {
			for _, c := range r {
				if c == '\n' {
					t.Fatalf("parsePage(%q): a record spans lines: %q", body, r)
				}
			}
		}
	})
}
