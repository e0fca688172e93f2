package search

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"time"
)

// On disk, a generation is one file: a header, then records of writes in
// the order they were made. Open replays it into memory. A record is
//
//	uvarint payload length | crc32 (Castagnoli) of payload, 4 bytes LE | payload
//
// and a payload is an op byte (opPut, opDelete) then the document or the
// ID, strings as uvarint length and bytes.
const logHeader = "pubdata-search-5\n"

const (
	opPut    = 1
	opDelete = 2
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// appendRecord appends the record of o to b.
func appendRecord(b []byte, o op) []byte {
	payload := make([]byte, 0, 512)
	if o.doc == nil {
		payload = append(payload, opDelete)
		payload = appendString(payload, o.id)
	} else {
		payload = append(payload, opPut)
		payload = appendDoc(payload, o.doc)
	}
	b = binary.AppendUvarint(b, uint64(len(payload)))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(payload, crcTable))
	return append(b, payload...)
}

// nextRecord decodes the record at the start of b and returns it with
// its length; a short or corrupt record is an error.
func nextRecord(b []byte) (op, int, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < 4+n {
		return op{}, 0, errTorn
	}
	sum := binary.LittleEndian.Uint32(b[k:])
	payload := b[k+4 : k+4+int(n)]
	if crc32.Checksum(payload, crcTable) != sum || len(payload) == 0 {
		return op{}, 0, errTorn
	}
	r := reader{b: payload[1:]}
	var o op
	switch payload[0] {
	case opDelete:
		o.id = r.string()
	case opPut:
		o.doc = r.doc()
		o.id = o.doc.ID
	default:
		return op{}, 0, errTorn
	}
	if r.err {
		return op{}, 0, errTorn
	}
	return o, k + 4 + int(n), nil
}

var errTorn = errors.New("torn or corrupt record")

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendStrings(b []byte, ss []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(ss)))
	for _, s := range ss {
		b = appendString(b, s)
	}
	return b
}

func appendDoc(b []byte, d *Doc) []byte {
	for _, s := range []string{d.ID, d.Code, d.Name, d.Summary, d.OrgID, d.OrgName, d.Region, d.Classification,
		d.Library, d.Level, d.Sensitivity, d.ShareType, d.OpenType, d.UpdateCycle, d.Status} {
		b = appendString(b, s)
	}
	b = appendStrings(b, d.Keywords)
	b = appendStrings(b, d.Items)
	b = appendStrings(b, d.Visibility)
	b = binary.AppendVarint(b, d.UpdatedAt.Unix())
	return binary.AppendUvarint(b, uint64(d.UpdatedAt.Nanosecond()))
}

// reader decodes a payload; err is set once anything is out of range.
type reader struct {
	b   []byte
	err bool
}

func (r *reader) uvarint() uint64 {
	v, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.err, r.b = true, nil
		return 0
	}
	r.b = r.b[k:]
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err, r.b = true, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) strings() []string {
	n := r.uvarint()
	if n == 0 || n > uint64(len(r.b)) {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.string()
	}
	return out
}

func (r *reader) doc() *Doc {
	d := &Doc{}
	for _, p := range []*string{&d.ID, &d.Code, &d.Name, &d.Summary, &d.OrgID, &d.OrgName, &d.Region, &d.Classification,
		&d.Library, &d.Level, &d.Sensitivity, &d.ShareType, &d.OpenType, &d.UpdateCycle, &d.Status} {
		*p = r.string()
	}
	d.Keywords = r.strings()
	d.Items = r.strings()
	d.Visibility = r.strings()
	sec, k := binary.Varint(r.b)
	if k <= 0 {
		r.err = true
		return d
	}
	r.b = r.b[k:]
	nsec := r.uvarint()
	d.UpdatedAt = time.Unix(sec, int64(nsec)).UTC()
	return d
}
