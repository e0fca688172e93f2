package aggregate

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/tabular"
)

// bulletinHeader are the columns of the bulletin (通报) table.
var bulletinHeader = []string{"排名", "单位", "已发布结构化资源", "已汇聚资源", "汇聚率", "数据量（条）",
	"本月加载次数", "成功", "失败", "本月入库（条）", "本月拒收（条）", "按时率", "质量评分"}

func pct(x float64) string {
	if x < 0 {
		return "—"
	}
	return strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
}

func score(x float64) string {
	if x < 0 {
		return "—"
	}
	return strconv.FormatFloat(x*100, 'f', 1, 64)
}

func bulletinRow(rank string, o OrgStats) []string {
	return []string{rank, o.OrgName, strconv.Itoa(o.Registered), strconv.Itoa(o.WithData), pct(o.Coverage),
		strconv.FormatInt(o.Records, 10), strconv.Itoa(o.Loads), strconv.Itoa(o.Succeeded), strconv.Itoa(o.Failed),
		strconv.FormatInt(o.RowsLoaded, 10), strconv.FormatInt(o.RowsRejected, 10), pct(o.OnTime), score(o.Quality)}
}

// WriteBulletinXLSX writes the monthly bulletin as a workbook: one sheet
// with a row per organisation and the total.
func WriteBulletinXLSX(w io.Writer, st *Statistics) error {
	x := tabular.NewXLSXWriter(w, st.Period+"汇聚通报")
	if err := x.WriteHeader(bulletinHeader); err != nil {
		return err
	}
	for i, o := range st.Orgs {
		if err := x.WriteRow(bulletinRow(strconv.Itoa(i+1), o)); err != nil {
			return err
		}
	}
	if err := x.WriteRow(bulletinRow("", st.Total)); err != nil {
		return err
	}
	return x.Close()
}

//go:embed bulletin.html
var bulletinHTML string

var bulletinTmpl = template.Must(template.New("bulletin").Funcs(template.FuncMap{
	"pct": pct, "score": score, "row": bulletinRow, "inc": func(i int) string { return strconv.Itoa(i + 1) },
}).Parse(bulletinHTML))

// WriteBulletinHTML writes the monthly bulletin as a printable page.
func WriteBulletinHTML(w io.Writer, st *Statistics) error {
	var none []string
	for _, o := range st.Orgs {
		if o.Registered > 0 && o.WithData == 0 {
			none = append(none, o.OrgName)
		}
	}
	year, month := st.From.Year(), int(st.From.Month())
	return bulletinTmpl.Execute(w, map[string]any{
		"Title":  fmt.Sprintf("%d年%d月公共数据汇聚情况通报", year, month),
		"S":      st,
		"Header": bulletinHeader,
		"None":   none,
	})
}

// WriteRejectsXLSX converts a load's quarantine CSV (as Rejects opens it)
// into one XLSX sheet, row by row.
func WriteRejectsXLSX(w io.Writer, quarantine io.Reader, sheet string) error {
	cr := csv.NewReader(quarantine)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	xw := tabular.NewXLSXWriter(w, sheet)
	header, err := cr.Read()
	if err != nil && err != io.EOF {
		return err
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	if err := xw.WriteHeader(header); err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := xw.WriteRow(rec); err != nil {
			return err
		}
	}
	return xw.Close()
}
