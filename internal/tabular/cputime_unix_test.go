//go:build unix

package tabular

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time used by the process so far (all threads), to
// report throughput per CPU second on a machine shared with other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
