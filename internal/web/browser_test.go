package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pubdata/pubdata/internal/apptest"
	"github.com/pubdata/pubdata/internal/demo"
	"github.com/pubdata/pubdata/internal/gen"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts Debian's chromium headless with a fresh profile. Without
// chromium the test is skipped, unless PUBDATA_REQUIRE_BROWSER=1 (CI).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("PUBDATA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("PUBDATA_REQUIRE_BROWSER=1 but %s is missing: %v", chromiumPath, err)
		}
		t.Skipf("%s is not installed; the browser test is skipped", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// TestBrowser drives the portal in a real browser over the demo province:
// log in, search in Chinese, open a resource, fill and save the create
// form (with an inline check on the way) and see the new entry, load a
// data file into a structured resource through its upload form and watch
// the load succeed, then open the resource's relationship graph and go
// back to the resource from its node.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	ctx := newBrowser(t)
	a := apptest.Open(t, "", nil)
	if _, err := demo.Seed(context.Background(), a.Identity, a.Catalog, a.DB, demo.Options{Resources: 200, Log: slog.New(slog.DiscardHandler)}); err != nil {
		t.Fatalf("demo.Seed: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	// PUBDATA_BROWSER_SHOTS names a directory to keep the screenshots in.
	shots := os.Getenv("PUBDATA_BROWSER_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o600)
		})
	}
	run := func(step string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	field := func(name string) chromedp.CSS { return chromedp.CSS(`[name="` + name + `"]`) }

	// 1. Deny by default: the catalog sends us to the login page.
	run("log in",
		chromedp.Navigate(srv.URL+"/catalog"),
		chromedp.WaitVisible(field("username")),
		chromedp.SendKeys(field("username"), "sgat.editor"),
		chromedp.SendKeys(field("password"), demo.DefaultPassword),
		shot("login"),
		chromedp.Click(css(`.login-card button[type="submit"]`)),
		chromedp.WaitVisible(css(`#search-results`)),
	)
	if got := text(".user-name"); got == "" {
		t.Errorf("no user shown in the header after login")
	}

	// From here on, the page must log no script error and no refusal of the
	// content security policy (htmx runs under it).
	cctx, stopConsole := context.WithCancel(ctx)
	var (
		mu       sync.Mutex
		problems []string
		wg       sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for m, err := range chromedp.Console(cctx) {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException) && m.Source != "network" {
				mu.Lock()
				problems = append(problems, m.Source+": "+m.Text)
				mu.Unlock()
			}
		}
	}()
	defer func() {
		stopConsole()
		wg.Wait()
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
	}()

	// 2. Search in Chinese; with htmx the results update in place.
	run("search",
		chromedp.SetValue(css(`#search-results input[name="q"]`), "电子证照"),
		chromedp.Click(css(`#search-results .searchbar button`)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`document.querySelector('.results-head').textContent.includes('电子证照')`)(ctx, tg)
			return err
		}),
		chromedp.WaitVisible(css(`.card .card-title a`)),
		shot("search"),
	)
	first := text(".card .card-title a")

	// 3. Open the first hit.
	run("open resource",
		chromedp.Click(css(`.card .card-title a`)),
		chromedp.WaitVisible(css(`.resource-head`)),
		shot("resource"),
	)
	if got := text(".resource-head .page-title"); got != first {
		t.Errorf("resource page title = %q, want %q", got, first)
	}
	if !strings.Contains(text("#history"), "版本历史") {
		t.Errorf("the resource page shows no version history")
	}

	// 4. Fill the create form; a bad item code is flagged inline.
	const name = "福州市公共自行车站点信息"
	run("fill form",
		chromedp.Navigate(srv.URL+"/catalog/new"),
		chromedp.WaitVisible(field("name")),
		chromedp.SendKeys(field("name"), name),
		chromedp.SetValue(field("class_code"), "210001"),
		chromedp.SendKeys(field("summary"), "全市公共自行车站点的位置、车桩数量和运营状态,用于出行服务和城市交通规划。"),
		chromedp.SetValue(field("format_class"), "3"),
		chromedp.SendKeys(field("format_type"), "MySQL 库表"),
		chromedp.SetValue(field("update_cycle"), "daily"),
		chromedp.SetValue(field("share.type"), "1"),
		chromedp.SetValue(field("share.method"), "api"),
		chromedp.SetValue(field("open.type"), "1"),
		chromedp.SendKeys(field("keywords"), "公共自行车, 站点"),
		chromedp.SendKeys(field("items[0].name"), "站点编号"),
		chromedp.SendKeys(field("items[0].code"), "9ZDBH"),
		chromedp.Click(field("items[0].name")), // leaving the field fires change
		chromedp.WaitVisible(css(`#err-items-0-code .err`)),
		shot("form-inline-check"),
	)
	if got := text("#err-items-0-code"); !strings.Contains(got, "字母开头") {
		t.Errorf("inline check of item code = %q, want the letter-first rule", got)
	}
	run("fix and save",
		chromedp.SetValue(field("items[0].code"), "ZDBH"),
		chromedp.SendKeys(field("items[0].length"), "32"),
		chromedp.Click(css(`.form-actions button[value="save"]`)),
		chromedp.WaitVisible(css(`.resource-head`)),
		shot("created"),
	)

	// 5. The new entry's page.
	if got := text(".resource-head .page-title"); got != name {
		t.Errorf("new entry's title = %q, want %q", got, name)
	}
	if got := text(".notice-ok"); !strings.Contains(got, "目录已创建为草稿") {
		t.Errorf("notice after saving = %q", got)
	}
	if got := text(".resource-head .status"); got != "草稿" {
		t.Errorf("new entry's status = %q, want 草稿", got)
	}
	if got := text(".detail-side"); !strings.Contains(got, "提交审核") {
		t.Errorf("the editor is not offered to submit the new draft: %q", got)
	}

	// 6. Load data into 人口基本信息 through its page's upload form and
	// follow the load, which updates itself, until it succeeds.
	var popID string
	if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM resources WHERE name = ?`, demo.PopulationName).Scan(&popID); err != nil {
		t.Fatalf("find %s: %v", demo.PopulationName, err)
	}
	var pop, truth bytes.Buffer
	if _, err := gen.Population(&pop, &truth, gen.PopulationOptions{Rows: 50, ErrorRate: 0.1, Seed: 3, Encoding: "utf-8"}); err != nil {
		t.Fatalf("gen.Population: %v", err)
	}
	upload := filepath.Join(t.TempDir(), "人口样例.csv")
	if err := os.WriteFile(upload, pop.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var initial string
	run("upload data",
		chromedp.Navigate(srv.URL+"/catalog/"+popID),
		chromedp.WaitVisible(css(`#data .upload-form`)),
		chromedp.SetValue(css(`#up-mode`), "full"),
		chromedp.SetUploadFiles(css(`#up-file`), []string{upload}),
		shot("upload"),
		chromedp.Click(css(`#data .upload-form button[type="submit"]`)),
		chromedp.WaitVisible(css(`#load-live`)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			// Mark this page: an update by htmx keeps the mark, a reload
			// would lose it.
			var err error
			if initial, err = chromedp.Text(css(`#load-state`))(ctx, tg); err != nil {
				return err
			}
			_, err = chromedp.Evaluate[bool](`window.pubdataMark = true`)(ctx, tg)
			return err
		}),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`document.querySelector('#load-state').textContent.includes('成功')`,
				chromedp.WithPollingTimeout(time.Minute))(ctx, tg)
			return err
		}),
		shot("load"),
	)
	if initial != "成功" {
		marked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.pubdataMark === true`))
		if err != nil || !marked {
			t.Errorf("the load page went from %q to 成功 by reloading (%v), want an in-place update by htmx", initial, err)
		}
	}
	if got := text("#load-live .notice-ok"); !strings.Contains(got, "加载完成") {
		t.Errorf("notice of the finished load = %q, want 加载完成", got)
	}
	if got := text("#rows-read"); got != "50" {
		t.Errorf("rows read = %q, want 50", got)
	}
	run("see the data",
		chromedp.Click(css(`.page-sub a`)),
		chromedp.WaitVisible(css(`#data-preview`)),
		shot("data"),
	)
	if got := text("#data-version"); got != "第 1 版" {
		t.Errorf("current data version = %q, want 第 1 版", got)
	}

	// 7. The relationship graph of 人口基本信息, from the link on its page:
	// ECharts draws it on a canvas from the JSON route, under the content
	// security policy, with the key-element hub; clicking the resource's
	// node opens its page.
	run("lineage graph",
		chromedp.Click(css(`#lineage-link`)),
		chromedp.WaitVisible(css(`#lineage-chart canvas`)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`document.getElementById('lineage-status').textContent.includes('个节点')`)(ctx, tg)
			return err
		}),
		chromedp.Sleep(2*time.Second), // the force layout settles
		shot("lineage"),
	)
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const el = document.getElementById('lineage-chart'), canvas = el.querySelector('canvas');
		const nodes = echarts.getInstanceByDom(el).getOption().series[0].data.map(n => n.id);
		return canvas.width > 0 && canvas.height > 0 && nodes.includes('resource:`+popID+`') && nodes.includes('element:DE00001');
	})()`))
	if err != nil || !drawn {
		t.Errorf("the graph of %s is not drawn on a canvas with the resource and its key-element hub (%v)", demo.PopulationName, err)
	}
	// Where the resource's node is on the page now.
	at, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const el = document.getElementById('lineage-chart'), chart = echarts.getInstanceByDom(el);
		const data = chart.getModel().getSeriesByIndex(0).getData();
		for (let i = 0; i < data.count(); i++) {
			if (data.getId(i) === 'resource:`+popID+`') {
				const p = chart.convertToPixel({seriesIndex: 0}, data.getItemLayout(i)), r = el.getBoundingClientRect();
				return [r.left + p[0], r.top + p[1]];
			}
		}
		return [];
	})()`))
	if err != nil || len(at) != 2 {
		t.Fatalf("find the resource's node in the graph: %v %v", at, err)
	}
	// Another node's label may lie over part of the node: hover points of
	// its disc until the tooltip names the resource, and click there.
	// Bounded, so that a click that misses fails in seconds.
	cctxClick, cancelClick := context.WithTimeout(ctx, 20*time.Second)
	defer cancelClick()
	target := at
	for _, d := range [][2]float64{{0, 0}, {-7, 0}, {0, -7}, {0, 7}, {-7, -7}, {-7, 7}, {7, 0}} {
		x, y := at[0]+d[0], at[1]+d[1]
		if err := chromedp.Do(cctxClick, chromedp.MouseEvent("mouseMoved", x, y), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatalf("hover the graph at %v: %v", []float64{x, y}, err)
		}
		tip, err := chromedp.Run(cctxClick, chromedp.Evaluate[string](`Array.from(document.querySelectorAll('#lineage-chart > div')).map(d => d.innerText).join(' ')`))
		if err != nil {
			t.Fatalf("read the tooltip: %v", err)
		}
		if strings.Contains(tip, demo.PopulationName) {
			target = []float64{x, y}
			break
		}
	}
	if err := chromedp.Do(cctxClick, chromedp.MouseClickXY(target[0], target[1]), chromedp.WaitVisible(css(`.resource-head`))); err != nil {
		t.Fatalf("click the resource's node at %v: %v", target, err)
	}
	if got := text(".resource-head .page-title"); got != demo.PopulationName {
		t.Errorf("clicking the resource's node opened %q, want %q", got, demo.PopulationName)
	}

	for _, n := range []string{"login", "search", "resource", "form-inline-check", "created", "upload", "load", "data", "lineage"} {
		if fi, err := os.Stat(filepath.Join(shots, n+".png")); err != nil || fi.Size() < 10_000 {
			t.Errorf("screenshot %s: %v", n, err)
		}
	}
}
