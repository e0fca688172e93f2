package aggregate

import (
	"fmt"
	"strconv"

	"github.com/pubdata/pubdata/internal/apperr"
)

// MaxUpload is the most bytes a staged upload may have (Config.MaxUpload).
// The HTTP edges refuse a body declared longer before reading it and cut a
// longer one off at the limit; stage checks it again for every caller.
func (s *Service) MaxUpload() int64 { return s.cfg.MaxUpload }

// TooLarge is the error of an upload over limit bytes.
func TooLarge(limit int64) *apperr.Error {
	en, zh := sizeOf(limit)
	return apperr.New(apperr.TooLarge, "the file is larger than the limit of "+en, "文件超过"+zh+"的上限").
		With("body", "at most "+en+" a file: split it and load the parts incrementally",
			"单个文件不得超过"+zh+"，请拆分后以增量方式分批加载")
}

// sizeOf writes a byte count in the largest binary unit that divides it,
// in English and Chinese.
func sizeOf(n int64) (en, zh string) {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			s := strconv.FormatInt(n/u.size, 10) + " " + u.name
			return s, s
		}
	}
	return fmt.Sprintf("%d bytes", n), fmt.Sprintf("%d字节", n)
}
