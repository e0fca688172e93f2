package gen

import (
	"time"

	"github.com/pubdata/pubdata/internal/civil"
)

// Unique keys by construction: row i of a file gets element perm(i) of a
// key space (county x birth date x sequence code for ID numbers), where
// perm is a keyed pseudo-random permutation. Distinct rows get distinct
// keys without remembering any, in constant memory.

// perm is a pseudo-random permutation of [0, n) for n <= 2^32: a 4-round
// balanced Feistel network on the smallest even number of bits that holds
// n, with cycle walking to stay below n (fewer than 4 steps on average).
type perm struct {
	n    uint64
	half uint // bits in each half
	keys [4]uint64
}

func newPerm(n uint64, seed uint64) perm {
	if n == 0 || n > 1<<32 {
		panic("gen: permutation size out of range")
	}
	p := perm{n: n, half: 1}
	for uint64(1)<<(2*p.half) < n {
		p.half++
	}
	s := seed
	for i := range p.keys {
		s = splitmix(s)
		p.keys[i] = s
	}
	return p
}

// at returns the i-th element, i < n.
func (p *perm) at(i uint64) uint64 {
	v := i
	for {
		v = p.feistel(v)
		if v < p.n {
			return v
		}
	}
}

func (p *perm) feistel(v uint64) uint64 {
	mask := uint64(1)<<p.half - 1
	l, r := v>>p.half&mask, v&mask
	for _, k := range p.keys {
		l, r = r, l^(splitmix(r^k)&mask)
	}
	return l<<p.half | r
}

// splitmix is the SplitMix64 finaliser, a fast 64-bit mixer.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ x>>30) * 0xBF58476D1CE4E5B9
	x = (x ^ x>>27) * 0x94D049BB133111EB
	return x ^ x>>31
}

// appendDate appends day number z as YYYY-MM-DD.
func appendDate(b []byte, z int) []byte {
	y, m, d := civil.FromDays(int64(z))
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendYMD appends day number z as YYYYMMDD.
func appendYMD(b []byte, z int) []byte {
	y, m, d := civil.FromDays(int64(z))
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		byte('0'+m/10), byte('0'+m%10), byte('0'+d/10), byte('0'+d%10))
}

// appendInt appends n >= 0 in decimal.
func appendInt(b []byte, n int) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}

// appendDigits appends n as exactly w digits (w <= 20).
func appendDigits(b []byte, n, w int) []byte {
	b = append(b, "00000000000000000000"[:w]...)
	for i := len(b) - 1; i >= len(b)-w; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return b
}

// dateOf returns the date as a time.Time at midnight UTC.
func dateOf(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

var zeroTime time.Time
