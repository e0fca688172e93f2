package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func readCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("i18n", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestMessageCatalogs checks that both languages have the same messages,
// none empty, and that every key the templates and handlers name exists.
func TestMessageCatalogs(t *testing.T) {
	zh, en := readCatalog(t, "zh-CN"), readCatalog(t, "en")
	if diff := cmp.Diff(keys(zh), keys(en)); diff != "" {
		t.Errorf("zh-CN and en keys differ (-zh +en):\n%s", diff)
	}
	for _, m := range []map[string]string{zh, en} {
		for k, v := range m {
			if strings.TrimSpace(v) == "" {
				t.Errorf("message %q is empty", k)
			}
			if strings.Count(v, "%") != strings.Count(zh[k], "%") {
				t.Errorf("message %q has different format verbs in zh-CN and en", k)
			}
		}
	}
	used := map[string]bool{}
	scan := func(pattern string, re *regexp.Regexp) {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = true
			}
		}
	}
	scan("templates/*.html", regexp.MustCompile(`\bT "([a-z0-9_.]+)"`))
	scan("*.go", regexp.MustCompile(`(?:t\(r, |appErr\(apperr\.\w+, |\.T\()"([a-z0-9_.]+)"`))
	// Keys built at run time.
	for _, prefix := range []string{"action.", "flash.", "facet.", "severity."} {
		for _, k := range keys(zh) {
			if strings.HasPrefix(k, prefix) {
				used[k] = true
			}
		}
	}
	for _, s := range []string{"400", "403", "404", "409", "500"} {
		used["error."+s] = true
	}
	for k := range used {
		if _, ok := zh[k]; !ok && !strings.HasSuffix(k, ".") {
			t.Errorf("key %q is used but not in the message catalogs", k)
		}
	}
	// No Chinese text outside the catalogs in the templates.
	han := regexp.MustCompile(`\p{Han}`)
	files, _ := filepath.Glob("templates/*.html")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for i, line := range strings.Split(string(b), "\n") {
			if han.MatchString(line) {
				t.Errorf("%s:%d holds Chinese text outside the message catalogs: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
