package ingest

import (
	"fmt"
	"time"
)

// format renders a stored value for comparisons.
func format(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case float64:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}
