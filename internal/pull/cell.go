package pull

import (
	"fmt"
	"strconv"
	"time"
)

// Time layouts of cells: ingest reads them for date (D) and date-time (T)
// items. Trailing zeros of the fraction, and the dot, are left out.
const (
	dateLayout        = time.DateOnly
	timestampLayout   = "2006-01-02 15:04:05.999999"
	timestampTZLayout = "2006-01-02 15:04:05.999999-07:00"
)

// cell renders a value scanned from a column of the database type typ
// (sql.ColumnType.DatabaseTypeName) as the text of a CSV cell. The text
// of a watermark is the same, and the database reads it back as a value
// of the column's type.
func cell(v any, typ string) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(v)
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		bits := 64
		if typ == "FLOAT4" || typ == "FLOAT" {
			bits = 32 // a single-precision value, printed without float64 noise
		}
		return strconv.FormatFloat(v, 'f', -1, bits)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		switch {
		case v.IsZero():
			return "" // MySQL's zero date 0000-00-00
		case typ == "DATE":
			return v.Format(dateLayout)
		case typ == "TIMESTAMPTZ":
			return v.Format(timestampTZLayout)
		}
		// Timestamps without a zone are wall-clock times: the driver
		// returns them in UTC (pgx) or the DSN's loc (MySQL).
		return v.Format(timestampLayout)
	}
	return fmt.Sprint(v)
}
