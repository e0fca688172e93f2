package app

import "github.com/pubdata/pubdata/internal/identity"

// FujianRegions are Fujian province and its ten city-level areas (GB/T 2260;
// Pingtan Comprehensive Experimental Zone is administered as county 350128
// of Fuzhou and runs a city-level platform).
var FujianRegions = []identity.Region{
	{Code: "350000", Name: "福建省", NameEN: "Fujian", Level: "province"},
	{Code: "350100", Name: "福州市", NameEN: "Fuzhou", ParentCode: "350000", Level: "city"},
	{Code: "350200", Name: "厦门市", NameEN: "Xiamen", ParentCode: "350000", Level: "city"},
	{Code: "350300", Name: "莆田市", NameEN: "Putian", ParentCode: "350000", Level: "city"},
	{Code: "350400", Name: "三明市", NameEN: "Sanming", ParentCode: "350000", Level: "city"},
	{Code: "350500", Name: "泉州市", NameEN: "Quanzhou", ParentCode: "350000", Level: "city"},
	{Code: "350600", Name: "漳州市", NameEN: "Zhangzhou", ParentCode: "350000", Level: "city"},
	{Code: "350700", Name: "南平市", NameEN: "Nanping", ParentCode: "350000", Level: "city"},
	{Code: "350800", Name: "龙岩市", NameEN: "Longyan", ParentCode: "350000", Level: "city"},
	{Code: "350900", Name: "宁德市", NameEN: "Ningde", ParentCode: "350000", Level: "city"},
	{Code: "350128", Name: "平潭综合实验区", NameEN: "Pingtan", ParentCode: "350100", Level: "city"},
}

// RegionsFor returns the regions a new node serving code starts with: the
// Fujian table when the code is in Fujian, else the code alone.
func RegionsFor(code string) []identity.Region {
	if code[:2] == "35" {
		return FujianRegions
	}
	return []identity.Region{{Code: code, Name: code, Level: "province"}}
}

func regionName(code string) string {
	for _, r := range FujianRegions {
		if r.Code == code {
			return r.Name
		}
	}
	return code
}
