package tabular

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// maxSerial is 9999-12-31, the last day Excel shows, in the 1900 system.
const maxSerial = 2958465

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// ExcelTime converts an Excel date serial number as read raw from a cell
// ("45123", "45123.5", "0.25") to the wall-clock time it shows, in UTC
// (re-read it in another location with time.Date if needed). The fraction
// is the time of day, rounded to the millisecond.
//
// In the 1900 date system serial 1 is 1900-01-01 and Excel counts a
// 1900-02-29 that never was as serial 60, so serials below 60 are shifted
// by a day and 60 itself is refused. Serial 0 (used by cells holding only a
// time) is 1899-12-31. date1904 selects the 1904 system, where 0 is
// 1904-01-01.
func ExcelTime(serial string, date1904 bool) (time.Time, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(serial), 64)
	if err != nil || math.IsNaN(v) || v < 0 || v >= maxSerial+1 {
		return time.Time{}, invalidFile("date", err,
			quote(clip(serial))+" is not an Excel date", quote(clip(serial))+"不是 Excel 日期值")
	}
	days := math.Floor(v)
	ms := math.Round((v - days) * 86400e3)
	base := epoch1900
	switch {
	case date1904:
		base = epoch1904
	case days == 60:
		return time.Time{}, invalidFile("date", nil,
			"Excel date 60 is 1900-02-29, which does not exist", "Excel 日期值60表示不存在的1900-02-29")
	case days < 60:
		base = epoch1900.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond), nil
}
