package records

import "encoding/binary"

// compact is an encoder for the Thrift compact protocol, which Parquet
// uses for its page headers and file footer. It writes only what the
// Parquet writer needs: structs, lists, i32, i64, binary and bool fields.
type compact struct {
	b    []byte
	last []int16 // last field id of each open struct
}

// Thrift compact type codes.
const (
	ctTrue   = 1
	ctFalse  = 2
	ctI32    = 5
	ctI64    = 6
	ctBinary = 8
	ctList   = 9
	ctStruct = 12
)

func (c *compact) uvarint(v uint64) { c.b = binary.AppendUvarint(c.b, v) }

func (c *compact) zigzag(v int64) { c.uvarint(uint64(v<<1) ^ uint64(v>>63)) }

func (c *compact) field(id int16, typ byte) {
	top := len(c.last) - 1
	if d := id - c.last[top]; d > 0 && d <= 15 {
		c.b = append(c.b, byte(d)<<4|typ)
	} else {
		c.b = append(c.b, typ)
		c.zigzag(int64(id))
	}
	c.last[top] = id
}

// begin starts a struct: the top-level one (id 0) or a struct field.
func (c *compact) begin(id int16) {
	if id != 0 {
		c.field(id, ctStruct)
	}
	c.last = append(c.last, 0)
}

// elem starts a struct that is an element of a list.
func (c *compact) elem() { c.last = append(c.last, 0) }

func (c *compact) end() {
	c.b = append(c.b, 0)
	c.last = c.last[:len(c.last)-1]
}

func (c *compact) i32(id int16, v int32) {
	c.field(id, ctI32)
	c.zigzag(int64(v))
}

func (c *compact) i64(id int16, v int64) {
	c.field(id, ctI64)
	c.zigzag(v)
}

func (c *compact) binary(id int16, v []byte) {
	c.field(id, ctBinary)
	c.uvarint(uint64(len(v)))
	c.b = append(c.b, v...)
}

func (c *compact) str(id int16, v string) {
	c.field(id, ctBinary)
	c.uvarint(uint64(len(v)))
	c.b = append(c.b, v...)
}

func (c *compact) boolean(id int16, v bool) {
	if v {
		c.field(id, ctTrue)
	} else {
		c.field(id, ctFalse)
	}
}

// list starts a list field of n elements of type typ; the elements
// follow (structs with elem/end, i32 with listI32, strings with listStr).
func (c *compact) list(id int16, typ byte, n int) {
	c.field(id, ctList)
	if n < 15 {
		c.b = append(c.b, byte(n)<<4|typ)
		return
	}
	c.b = append(c.b, 0xF0|typ)
	c.uvarint(uint64(n))
}

func (c *compact) listI32(v int32) { c.zigzag(int64(v)) }

func (c *compact) listStr(v string) {
	c.uvarint(uint64(len(v)))
	c.b = append(c.b, v...)
}
