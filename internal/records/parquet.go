package records

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
)

// parquetWriter writes one Parquet file from batches: every column
// OPTIONAL, data pages v1 with PLAIN values and RLE definition levels,
// uncompressed. It is the DuckDB store's write path: encoding columns is
// little more than copying bytes, so a load spends its time on parsing
// and checking rather than on storage (see the package documentation).
//
// Pages of one batch are kept in memory until the row group holds
// rowGroupRows rows, then written column by column; so the memory a
// writer holds is about one row group of encoded data.
type parquetWriter struct {
	w      flushWriter
	off    int64
	cols   []pqColumn
	groups []pqGroup
	rows   int64 // rows in the current row group
	total  int64
	defs   []byte
	err    error
}

// rowGroupRows is the row-group size: large enough for DuckDB to scan
// efficiently, small enough to hold in memory (~25 MB at 200 bytes a row).
const rowGroupRows = 128 * 1024

// maxPageRows bounds a page, whatever the batch size.
const maxPageRows = 16 * 1024

type pqColumn struct {
	name  string
	typ   Type
	stats bool // keep min and max
	buf   []byte
	// statistics of the current row group
	nulls    int64
	has      bool
	minS     string
	maxS     string
	minI     int64
	maxI     int64
	chunkOff int64
}

type pqGroup struct {
	rows   int64
	offset int64
	chunks []pqChunk
}

type pqChunk struct {
	offset, size int64
	nulls        int64
	min, max     []byte
}

// Parquet enumerations.
const (
	pqBoolean   = 0
	pqInt32     = 1
	pqInt64     = 2
	pqDouble    = 5
	pqByteArray = 6

	pqPlain = 0
	pqRLE   = 3

	pqOptional = 1

	pqConvUTF8 = 0
	pqConvDate = 6
)

var parquetMagic = []byte("PAR1")

// flushWriter is where a Parquet file is written: a buffered writer
// (*directio.Writer for the DuckDB store's parts).
type flushWriter interface {
	io.Writer
	Flush() error
}

// newParquetWriter starts a file on w with the given columns and a last
// INT64 column _row (Batch.SourceRow).
func newParquetWriter(w flushWriter, cols []Column) *parquetWriter {
	p := &parquetWriter{w: w}
	for _, c := range cols {
		p.cols = append(p.cols, pqColumn{name: c.Name, typ: c.Type, stats: c.Key || c.Type == Date || c.Type == Int || c.Type == Timestamp})
	}
	p.cols = append(p.cols, pqColumn{name: "_row", typ: Int, stats: true})
	p.write(parquetMagic)
	return p
}

func (p *parquetWriter) write(b []byte) {
	if p.err != nil {
		return
	}
	n, err := p.w.Write(b)
	p.off += int64(n)
	p.err = err
}

// writeBatch encodes b into the current row group.
func (p *parquetWriter) writeBatch(b *Batch) error {
	for lo := 0; lo < b.Len; lo += maxPageRows {
		hi := min(lo+maxPageRows, b.Len)
		for i := range p.cols {
			c := &p.cols[i]
			if i == len(p.cols)-1 {
				p.pageInt(c, nil, b.SourceRow[lo:hi])
				continue
			}
			v := &b.Cols[i]
			switch c.typ {
			case Text:
				p.pageText(c, v.Valid[lo:hi], v.Str[lo:hi])
			case Float:
				p.pageFloat(c, v.Valid[lo:hi], v.Float[lo:hi])
			case Bool:
				p.pageBool(c, v.Valid[lo:hi], v.Bool[lo:hi])
			case Date:
				p.pageDate(c, v.Valid[lo:hi], v.Int[lo:hi])
			default:
				p.pageInt(c, v.Valid[lo:hi], v.Int[lo:hi])
			}
		}
		p.rows += int64(hi - lo)
		if p.rows >= rowGroupRows {
			p.flushGroup()
		}
	}
	return p.err
}

// levels encodes the definition levels of valid (nil: all valid) as an
// RLE/bit-packed hybrid of bit width 1 made of RLE runs, and returns the
// number of nulls.
func (p *parquetWriter) levels(valid []bool, n int) int64 {
	p.defs = p.defs[:0]
	if valid == nil {
		p.defs = binary.AppendUvarint(p.defs, uint64(n)<<1)
		p.defs = append(p.defs, 1)
		return 0
	}
	var nulls int64
	for i := 0; i < n; {
		j := i + 1
		for j < n && valid[j] == valid[i] {
			j++
		}
		p.defs = binary.AppendUvarint(p.defs, uint64(j-i)<<1)
		if valid[i] {
			p.defs = append(p.defs, 1)
		} else {
			p.defs = append(p.defs, 0)
			nulls += int64(j - i)
		}
		i = j
	}
	return nulls
}

// header appends a data page header and the definition levels to c.buf
// for a page of n values whose PLAIN values take size bytes, and makes
// room for the values. The buffer grows to what the whole row group will
// need at the rate so far, so that it is not copied over and over.
func (p *parquetWriter) header(c *pqColumn, n, size int) {
	body := 4 + len(p.defs) + size
	if need := len(c.buf) + 64 + body; need > cap(c.buf) {
		est := int(float64(need) * float64(rowGroupRows) / float64(p.rows+int64(n)) * 1.05)
		nb := make([]byte, len(c.buf), max(need, est, 2*cap(c.buf)))
		copy(nb, c.buf)
		c.buf = nb
	}
	var h compact
	h.b = make([]byte, 0, 32)
	h.begin(0)
	h.i32(1, 0) // DATA_PAGE
	h.i32(2, int32(body))
	h.i32(3, int32(body))
	h.begin(5)
	h.i32(1, int32(n))
	h.i32(2, pqPlain)
	h.i32(3, pqRLE)
	h.i32(4, pqRLE)
	h.end()
	h.end()
	c.buf = append(c.buf, h.b...)
	c.buf = binary.LittleEndian.AppendUint32(c.buf, uint32(len(p.defs)))
	c.buf = append(c.buf, p.defs...)
}

func (p *parquetWriter) pageText(c *pqColumn, valid []bool, vals []string) {
	nulls := p.levels(valid, len(vals))
	c.nulls += nulls
	size := 0
	for i, s := range vals {
		if valid[i] {
			size += 4 + len(s)
		}
	}
	p.header(c, len(vals), size)
	buf := c.buf
	for i, s := range vals {
		if !valid[i] {
			continue
		}
		buf = binary.LittleEndian.AppendUint32(buf, uint32(len(s)))
		buf = append(buf, s...)
		if c.stats {
			if !c.has {
				c.minS, c.maxS, c.has = s, s, true
			} else if s < c.minS {
				c.minS = s
			} else if s > c.maxS {
				c.maxS = s
			}
		}
	}
	c.buf = buf
	if c.stats && c.has {
		// The page's strings are not kept: own the extremes.
		c.minS, c.maxS = strings.Clone(c.minS), strings.Clone(c.maxS)
	}
}

func (p *parquetWriter) pageInt(c *pqColumn, valid []bool, vals []int64) {
	nulls := p.levels(valid, len(vals))
	c.nulls += nulls
	p.header(c, len(vals), 8*(len(vals)-int(nulls)))
	buf := c.buf
	for i, v := range vals {
		if valid != nil && !valid[i] {
			continue
		}
		buf = binary.LittleEndian.AppendUint64(buf, uint64(v))
		c.statInt(v)
	}
	c.buf = buf
}

func (p *parquetWriter) pageDate(c *pqColumn, valid []bool, vals []int64) {
	nulls := p.levels(valid, len(vals))
	c.nulls += nulls
	p.header(c, len(vals), 4*(len(vals)-int(nulls)))
	buf := c.buf
	for i, v := range vals {
		if !valid[i] {
			continue
		}
		buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(v)))
		c.statInt(v)
	}
	c.buf = buf
}

func (c *pqColumn) statInt(v int64) {
	if !c.stats {
		return
	}
	if !c.has {
		c.minI, c.maxI, c.has = v, v, true
	} else if v < c.minI {
		c.minI = v
	} else if v > c.maxI {
		c.maxI = v
	}
}

func (p *parquetWriter) pageFloat(c *pqColumn, valid []bool, vals []float64) {
	nulls := p.levels(valid, len(vals))
	c.nulls += nulls
	p.header(c, len(vals), 8*(len(vals)-int(nulls)))
	for i, v := range vals {
		if valid[i] {
			c.buf = binary.LittleEndian.AppendUint64(c.buf, math.Float64bits(v))
		}
	}
}

func (p *parquetWriter) pageBool(c *pqColumn, valid []bool, vals []bool) {
	nulls := p.levels(valid, len(vals))
	c.nulls += nulls
	n := len(vals) - int(nulls)
	p.header(c, len(vals), (n+7)/8)
	var cur byte
	k := 0
	for i, v := range vals {
		if !valid[i] {
			continue
		}
		if v {
			cur |= 1 << (k % 8)
		}
		k++
		if k%8 == 0 {
			c.buf = append(c.buf, cur)
			cur = 0
		}
	}
	if k%8 != 0 {
		c.buf = append(c.buf, cur)
	}
}

// flushGroup writes the current row group.
func (p *parquetWriter) flushGroup() {
	if p.rows == 0 || p.err != nil {
		return
	}
	g := pqGroup{rows: p.rows, offset: p.off}
	for i := range p.cols {
		c := &p.cols[i]
		ch := pqChunk{offset: p.off, size: int64(len(c.buf)), nulls: c.nulls}
		if c.has {
			switch c.typ {
			case Text:
				ch.min, ch.max = []byte(c.minS), []byte(c.maxS)
			case Date:
				ch.min = binary.LittleEndian.AppendUint32(nil, uint32(int32(c.minI)))
				ch.max = binary.LittleEndian.AppendUint32(nil, uint32(int32(c.maxI)))
			default:
				ch.min = binary.LittleEndian.AppendUint64(nil, uint64(c.minI))
				ch.max = binary.LittleEndian.AppendUint64(nil, uint64(c.maxI))
			}
		}
		p.write(c.buf)
		g.chunks = append(g.chunks, ch)
		c.buf, c.nulls, c.has, c.minS, c.maxS = c.buf[:0], 0, false, "", ""
		if cap(c.buf) > 64<<20 {
			c.buf = nil
		}
	}
	p.groups = append(p.groups, g)
	p.total += p.rows
	p.rows = 0
}

func physical(t Type) int32 {
	switch t {
	case Text:
		return pqByteArray
	case Float:
		return pqDouble
	case Bool:
		return pqBoolean
	case Date:
		return pqInt32
	}
	return pqInt64
}

// close writes the last row group and the footer, and flushes.
func (p *parquetWriter) close() error {
	p.flushGroup()
	var m compact
	m.begin(0)
	m.i32(1, 1)
	m.list(2, ctStruct, len(p.cols)+1)
	m.elem()
	m.str(4, "schema")
	m.i32(5, int32(len(p.cols)))
	m.end()
	for _, c := range p.cols {
		m.elem()
		m.i32(1, physical(c.typ))
		m.i32(3, pqOptional)
		m.str(4, c.name)
		switch c.typ {
		case Text:
			m.i32(6, pqConvUTF8)
			m.begin(10)
			m.begin(1) // STRING
			m.end()
			m.end()
		case Date:
			m.i32(6, pqConvDate)
			m.begin(10)
			m.begin(6) // DATE
			m.end()
			m.end()
		case Timestamp:
			m.begin(10)
			m.begin(8) // TIMESTAMP
			m.boolean(1, false)
			m.begin(2)
			m.begin(2) // MICROS
			m.end()
			m.end()
			m.end()
			m.end()
		}
		m.end()
	}
	m.i64(3, p.total)
	m.list(4, ctStruct, len(p.groups))
	for _, g := range p.groups {
		m.elem()
		m.list(1, ctStruct, len(g.chunks))
		var size int64
		for i, ch := range g.chunks {
			c := p.cols[i]
			size += ch.size
			m.elem()
			m.i64(2, ch.offset)
			m.begin(3)
			m.i32(1, physical(c.typ))
			m.list(2, ctI32, 2)
			m.listI32(pqPlain)
			m.listI32(pqRLE)
			m.list(3, ctBinary, 1)
			m.listStr(c.name)
			m.i32(4, 0) // UNCOMPRESSED
			m.i64(5, g.rows)
			m.i64(6, ch.size)
			m.i64(7, ch.size)
			m.i64(9, ch.offset)
			m.begin(12)
			m.i64(3, ch.nulls)
			if ch.max != nil {
				m.binary(5, ch.max)
				m.binary(6, ch.min)
			}
			m.end()
			m.end()
			m.end()
		}
		m.i64(2, size)
		m.i64(3, g.rows)
		m.i64(5, g.offset)
		m.i64(6, size)
		m.end()
	}
	m.str(6, "pubdata")
	m.list(7, ctStruct, len(p.cols))
	for range p.cols {
		m.elem()
		m.begin(1) // TYPE_ORDER
		m.end()
		m.end()
	}
	m.end()
	p.write(m.b)
	p.write(binary.LittleEndian.AppendUint32(nil, uint32(len(m.b))))
	p.write(parquetMagic)
	if p.err == nil {
		p.err = p.w.Flush()
	}
	if p.err != nil {
		return fmt.Errorf("records: write parquet: %w", p.err)
	}
	return nil
}

// rows returns the rows written so far.
func (p *parquetWriter) rowCount() int64 { return p.total + p.rows }
