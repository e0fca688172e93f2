package catalogio

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/pubdata/pubdata/internal/apperr"
	"github.com/pubdata/pubdata/internal/catalog"
)

// readJSON reads an array of resources as the API writes them.
func (b *batch) readJSON(rd *reader, r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<20)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	dec := json.NewDecoder(br)
	tok, err := dec.Token()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return jsonSyntax(0, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return apperr.New(apperr.Invalid, "a catalog JSON file is an array of resources", "目录JSON文件应为资源对象数组").
			With("file", "must start with [", "应以 [ 开头")
	}
	for dec.More() {
		n := len(b.ents) + 1
		i := b.add(strconv.Itoa(n), n)
		r := &b.rs[i]
		if err := dec.Decode(r); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return jsonSyntax(n, err)
			}
			kind, kindZH := jsonKind(te.Type)
			b.fail(i, "", n, te.Field, te.Field, &cellErr{
				en: fmt.Sprintf("must be a JSON %s, not %s", kind, te.Value),
				zh: fmt.Sprintf("应为JSON%s,实为%s", kindZH, te.Value)})
		}
		if err := rd.tick(); err != nil {
			return err
		}
		b.normalizeJSON(i)
		b.seal(i + 1)
	}
	if _, err := dec.Token(); err != nil {
		return jsonSyntax(len(b.ents), err)
	}
	return nil
}

// jsonKind names the JSON value a Go type takes.
func jsonKind(t reflect.Type) (string, string) {
	if t == nil {
		return "value", "值"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number", "数字"
	case reflect.String:
		return "string", "字符串"
	case reflect.Bool:
		return "boolean (true or false)", "布尔值(true或false)"
	case reflect.Slice, reflect.Array:
		return "array", "数组"
	case reflect.Struct, reflect.Map:
		return "object", "对象"
	}
	return t.String(), t.String()
}

func jsonSyntax(record int, err error) error {
	where, whereZH := "", ""
	if record > 0 {
		where, whereZH = "record "+strconv.Itoa(record)+": ", "第"+strconv.Itoa(record)+"条记录:"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := strconv.FormatInt(se.Offset, 10)
		return apperr.New(apperr.Invalid, where+"malformed JSON at byte "+off+": "+se.Error(), whereZH+"JSON格式错误(第"+off+"字节)").
			With("file", se.Error(), "JSON格式错误")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return apperr.New(apperr.Invalid, where+"the JSON file ends too early", whereZH+"JSON文件不完整").
			With("file", "unexpected end of file", "文件意外结束")
	}
	return err
}

// normalizeJSON turns what the API accepts into what import checks:
// labels into codes, provider codes into organisations; generated fields
// are dropped.
func (b *batch) normalizeJSON(i int) {
	r := &b.rs[i]
	r.ID, r.Code = "", ""
	for _, f := range []struct {
		v *string
		t []catalog.CodeEntry
	}{{&r.FormatClass, catalog.FormatClasses}, {&r.Share.Type, catalog.ShareTypes}, {&r.Share.Method, catalog.ShareMethods},
		{&r.Open.Type, catalog.OpenTypes}, {&r.UpdateCycle, catalog.UpdateCycles}} {
		if c, err := parseCode(f.t, *f.v); err == nil {
			*f.v = c
		}
	}
	r.ClassCode = b.lk.classCode(r.ClassCode)
	if d, err := parseDate(r.ReleaseDate, false); err == nil {
		r.ReleaseDate = d
	}
	for k := range r.Items {
		it := &r.Items[k]
		if c, err := parseCode(catalog.DataTypes, it.DataType); err == nil {
			it.DataType = c
		}
		if c, err := parseCode(catalog.Categories, it.Category); err == nil {
			it.Category = c
		}
		if c, err := parseCode(catalog.Sensitivities, it.Sensitivity); err == nil {
			it.Sensitivity = c
		}
		it.Element = b.lk.elementCode(it.Element)
	}
	r.ProviderCode = strings.ToUpper(strings.TrimSpace(r.ProviderCode))
	b.resolveProvider(i, nil, b.ents[i].row)
}
