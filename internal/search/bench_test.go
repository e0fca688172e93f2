package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Benchmarks run over benchDocs synthetic resources (20,000; set
// SEARCH_BENCH_DOCS to change it, e.g. 100000 for the platform's target).
//
//	go test ./internal/search -run '^$' -bench . -benchtime 2000x

func benchDocs(b *testing.B) int {
	if s := os.Getenv("SEARCH_BENCH_DOCS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("SEARCH_BENCH_DOCS=%q: want a positive number", s)
		}
		return n
	}
	return 20_000
}

var (
	benchNames = []string{
		"居民身份证信息", "企业营业执照信息", "社会保险参保信息", "不动产登记信息", "出生医学证明信息",
		"婚姻登记信息", "死亡医学证明信息", "残疾人证信息", "最低生活保障对象信息", "机动车驾驶证信息",
		"机动车登记信息", "住房公积金缴存信息", "医疗保险参保信息", "纳税人登记信息", "个体工商户登记信息",
		"食品经营许可证信息", "药品经营许可证信息", "建设工程规划许可证信息", "道路运输经营许可证信息", "教师资格证信息",
		"中小学学籍信息", "高校毕业生信息", "执业医师注册信息", "护士执业注册信息", "律师执业证信息",
		"电子证照目录", "常住人口统计信息", "流动人口登记信息", "户籍人口信息", "企业年度报告信息",
		"行政处罚决定信息", "公共信用评价信息", "失信被执行人信息", "环境监测数据", "空气质量监测信息",
		"地表水水质监测信息", "公共交通客流数据", "气象观测数据", "农业补贴发放信息", "养老服务机构信息",
	}
	benchPlaces = []string{
		"福州市", "厦门市", "泉州市", "漳州市", "莆田市", "三明市", "南平市", "龙岩市", "宁德市",
		"鼓楼区", "台江区", "思明区", "湖里区", "晋江市", "石狮市", "", "", "",
	}
	benchSuffixes = []string{"", "", "", "（年度）", "汇总", "明细", "月报", "统计", "变更记录", "历史数据"}
	benchOrgs     = []string{
		"公安局", "市场监督管理局", "人力资源和社会保障局", "自然资源和规划局", "卫生健康委员会",
		"民政局", "税务局", "住房和城乡建设局", "教育局", "司法局", "生态环境局", "交通运输局",
		"农业农村局", "大数据管理局", "医疗保障局", "统计局",
	}
	benchItems = []string{
		"公民身份号码", "姓名", "性别", "民族", "出生日期", "住址", "统一社会信用代码", "企业名称",
		"法定代表人", "注册资本", "成立日期", "登记机关", "参保状态", "缴费基数", "不动产单元号",
		"权利人", "证照编号", "发证日期", "有效期限", "监测点位", "监测时间", "监测值",
	}
	benchKeywords = []string{"身份证", "户籍", "工商", "社保", "医保", "养老", "不动产", "证照", "信用", "环境", "交通", "教育", "卫生"}
	benchRegions  = []string{"350000", "350100", "350102", "350103", "350200", "350203", "350206", "350500", "350582", "350600", "350300", "350400", "350700", "350800", "350900"}
	benchCycles   = []string{"realtime", "daily", "weekly", "monthly", "quarterly", "yearly"}
	benchStatuses = []string{"draft", "submitted", "returned", "org_approved", "approved", "published", "published", "published", "retired"}
)

// syntheticDocs makes n resources that look like a provincial catalog.
func syntheticDocs(n int, seed uint64) []Doc {
	rng := rand.New(rand.NewPCG(seed, seed))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]Doc, n)
	for i := range docs {
		base := rng.IntN(len(benchNames))
		place := pick(benchPlaces)
		org := rng.IntN(len(benchOrgs))
		region := pick(benchRegions)
		class := fmt.Sprintf("%d%02d", 1+base%3, 1+base%12)
		items := make([]string, 6+rng.IntN(9)) // about 10
		for j := range items {
			items[j] = pick(benchItems)
		}
		name := place + benchNames[base] + pick(benchSuffixes)
		d := Doc{
			ID:   fmt.Sprintf("res-%07d", i),
			Code: fmt.Sprintf("%s%03d/%06d", class, 1+rng.IntN(20), i),
			Name: name,
			Summary: fmt.Sprintf("%s%s归集的%s，包含%s、%s等数据项，按%s更新，用于政务服务和数据共享。",
				place, benchOrgs[org], benchNames[base], items[0], items[1], pick(benchCycles)),
			Keywords:       []string{pick(benchKeywords), pick(benchKeywords)},
			Items:          items,
			OrgID:          fmt.Sprintf("org-%s-%02d", region, org),
			OrgName:        place + benchOrgs[org],
			Region:         region,
			Classification: class,
			Library:        []string{"base", "theme", "department"}[base%3],
			Level:          []string{"core", "important", "general", "general"}[rng.IntN(4)],
			Sensitivity:    fmt.Sprintf("L%d", 1+rng.IntN(4)),
			ShareType:      strconv.Itoa(1 + rng.IntN(3)),
			OpenType:       strconv.Itoa(1 + rng.IntN(3)),
			UpdateCycle:    pick(benchCycles),
			Status:         pick(benchStatuses),
			UpdatedAt:      start.Add(time.Duration(rng.IntN(5*365*24)) * time.Hour),
		}
		d.Visibility = []string{"org:" + d.OrgID}
		if d.Status == "published" {
			d.Visibility = append(d.Visibility, "public")
		}
		if rng.IntN(4) == 0 { // some entries are written in traditional characters
			d.Name = "電子證照" + d.Name
		}
		docs[i] = d
	}
	return docs
}

// benchQueries is the mix the search benchmark cycles through.
var benchQueries = []Query{
	{},
	{Filters: map[string][]string{"region": {"350100"}}},
	{Filters: map[string][]string{"library": {"base"}, "level": {"core"}}, Offset: 40},
	{Filters: map[string][]string{"visibility": {"public"}}},
	{Text: "电子证照"},
	{Text: "電子證照"},
	{Text: "社保"},
	{Text: "营业执照"},
	{Text: "人口"},
	{Text: "信息"},
	{Text: "证"},
	{Text: "福州 人口"},
	{Text: "厦门市不动产登记"},
	{Text: "公民身份号码"},
	{Text: "101001/000123"},
	{Text: "营业执照", Filters: map[string][]string{"region": {"350200", "350203"}, "visibility": {"public"}}},
	{Text: "监测", Filters: map[string][]string{"cycle": {"daily", "realtime"}}},
	{Text: "婚姻登记", Limit: 50, Offset: 50},
}

// productQueries are the queries of `pubdata bench catalog`, each run as
// an anonymous user (public entries only) and as a platform reader.
var productQueries = func() []Query {
	var qs []Query
	for _, text := range []string{"电子证照", "電子證照", "社保", "营业执照", "人口", "不动产", "公积金", "医保", "学籍",
		"企业信用", "行政处罚", "婚姻登记", "出生", "车辆", "税务登记", "环境监测", "食品安全", "养老", "就业", "身份证"} {
		qs = append(qs,
			Query{Text: text, Filters: map[string][]string{"visibility": {"public"}}},
			Query{Text: text, Exclude: map[string][]string{"visibility": {"pub"}}})
	}
	return qs
}()

// benchIndexes are built once per process and size, and shared by the
// search benchmarks; TestMain removes them.
var (
	benchMu      sync.Mutex
	benchIndexes = map[int]*Index{}
	benchDirs    []string
)

func benchIndex(b *testing.B, n int) *Index {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if ix, ok := benchIndexes[n]; ok {
		return ix
	}
	dir, err := os.MkdirTemp("", "search-bench")
	if err != nil {
		b.Fatal(err)
	}
	benchDirs = append(benchDirs, dir)
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ix.Rebuild(context.Background(), yieldAll(syntheticDocs(n, 1))); err != nil {
		b.Fatal(err)
	}
	benchIndexes[n] = ix
	return ix
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, ix := range benchIndexes {
		ix.Close()
	}
	for _, dir := range benchDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func BenchmarkRebuild(b *testing.B) {
	docs := syntheticDocs(benchDocs(b), 1)
	ix, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		n, err := ix.Rebuild(context.Background(), yieldAll(docs))
		if err != nil || n != len(docs) {
			b.Fatalf("Rebuild() = %d, %v, want %d", n, err, len(docs))
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkOpen reopens an index of benchDocs documents: Open replays
// the generation's log. It reports the heap the open index holds.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ix.Rebuild(context.Background(), yieldAll(syntheticDocs(benchDocs(b), 1))); err != nil {
		b.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if ix, err = Open(dir); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkPutThenSearch is a single-resource edit followed by a search:
// the write, and the columns read again for the new snapshot.
func BenchmarkPutThenSearch(b *testing.B) {
	docs := syntheticDocs(benchDocs(b), 1)
	ix, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Rebuild(context.Background(), yieldAll(docs)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu := cpuTime()
	i := 0
	for b.Loop() {
		d := docs[i%len(docs)]
		d.UpdatedAt = d.UpdatedAt.Add(time.Second)
		i += 7919
		if err := ix.Put(d); err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Search(context.Background(), Query{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkSearch reports the latency percentiles of the query mix,
// facets included.
func BenchmarkSearch(b *testing.B) {
	ix := benchIndex(b, benchDocs(b))
	ctx := context.Background()
	var lat []time.Duration
	i := 0
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		q := benchQueries[i%len(benchQueries)]
		i++
		start := time.Now()
		if _, err := ix.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	reportPercentiles(b, lat)
}

// BenchmarkSearchProduct reports the latency percentiles of the
// product benchmark's queries.
func BenchmarkSearchProduct(b *testing.B) {
	ix := benchIndex(b, benchDocs(b))
	ctx := context.Background()
	var lat []time.Duration
	i := 0
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		q := productQueries[i%len(productQueries)]
		i++
		start := time.Now()
		if _, err := ix.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	reportPercentiles(b, lat)
}

// BenchmarkSearchEach reports the latency of each query of the mix.
func BenchmarkSearchEach(b *testing.B) {
	ix := benchIndex(b, benchDocs(b))
	ctx := context.Background()
	for _, q := range benchQueries {
		name := fmt.Sprintf("%q/%d-filters", q.Text, len(q.Filters))
		b.Run(name, func(b *testing.B) {
			var res Result
			cpu := cpuTime()
			for b.Loop() {
				var err error
				if res, err = ix.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(res.Total), "hits")
		})
	}
}

// cpuTime is the CPU time the process has used, all threads. On a busy
// machine wall-clock latencies include waiting for a core; CPU time per
// operation is what an idle machine would see, roughly.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(p float64) float64 {
		i := min(int(p*float64(len(lat))), len(lat)-1)
		return float64(lat[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
