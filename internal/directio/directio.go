// Package directio writes and reads files that a load streams once, with
// O_DIRECT where the file system takes it: the bytes go between the
// program's buffer and the disk without a copy in the page cache.
//
// A load writes about as many bytes (Parquet parts, the key log) as it
// reads of its source. Allocating page-cache pages for them was the
// largest cost of the DuckDB store's write path after parsing: 2.8 of
// 16.7 CPU seconds for 10M rows on a 2-vCPU VM, where fresh pages are
// slow to fault in. It also filled the cache with data the load does not
// read again. Where O_DIRECT is refused (some file systems, systems other
// than Linux), files are ordinary buffered ones.
package directio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"unsafe"
)

const (
	// align is the alignment of O_DIRECT buffers, offsets and sizes: the
	// largest logical block size of common devices.
	align = 4096
	// bufSize is the size of each read and write.
	bufSize = 1 << 20
)

// alignedBuf returns bufSize bytes whose address is a multiple of align.
func alignedBuf() []byte {
	b := make([]byte, bufSize+align)
	off := 0
	if r := int(uintptr(unsafe.Pointer(&b[0])) % align); r != 0 {
		off = align - r
	}
	return b[off : off+bufSize]
}

// Writer writes a new file from start to end. The data is on disk once a
// buffer is written, so Sync at the end has only the last block and the
// metadata to write.
type Writer struct {
	f      *os.File
	direct bool
	buf    []byte
	n      int   // bytes in buf
	size   int64 // bytes written to f
	// flushed: buf[:n] is on disk already (a partial block Flush wrote),
	// so another Flush has nothing to do.
	flushed bool
	err     error
}

// Create creates a new file (O_EXCL) for writing.
func Create(path string, perm os.FileMode) (*Writer, error) {
	f, direct, err := openDirect(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, perm)
	if err != nil {
		return nil, err
	}
	return newWriter(f, direct), nil
}

// newWriter writes f, opened with O_DIRECT when direct.
func newWriter(f *os.File, direct bool) *Writer {
	return &Writer{f: f, direct: direct, buf: alignedBuf()}
}

// Write buffers p, writing whole buffers to the file.
func (w *Writer) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 && w.err == nil {
		c := copy(w.buf[w.n:], p)
		w.n += c
		w.flushed = false
		p = p[c:]
		if w.n == len(w.buf) {
			w.writeOut(w.n)
		}
	}
	if w.err != nil {
		return total - len(p), w.err
	}
	return total, nil
}

// writeOut writes buf[:n] (n a multiple of align when direct) and
// empties the buffer.
func (w *Writer) writeOut(n int) {
	if w.err != nil {
		return
	}
	if err := w.writeAt(w.buf[:n]); err != nil {
		w.err = err
		return
	}
	w.size += int64(n)
	w.n = 0
}

// writeAt writes b at w.size. A file system that opens files with
// O_DIRECT but refuses the writes (EINVAL) gets buffered writes from
// then on.
func (w *Writer) writeAt(b []byte) error {
	_, err := w.f.WriteAt(b, w.size)
	if err != nil && w.direct && errors.Is(err, syscall.EINVAL) {
		if err = w.buffered(); err == nil {
			_, err = w.f.WriteAt(b, w.size)
		}
	}
	if err != nil {
		return fmt.Errorf("directio: write %s: %w", w.f.Name(), err)
	}
	return nil
}

// buffered turns O_DIRECT off for the rest of the file.
func (w *Writer) buffered() error {
	if err := clearDirect(w.f); err != nil {
		return err
	}
	w.direct = false
	return nil
}

// Flush writes what is buffered, so that the file holds every byte
// written. Under O_DIRECT the last partial block is written padded with
// zeros and the file is cut to its length; writing may go on after.
func (w *Writer) Flush() error {
	if w.err != nil || w.n == 0 || w.flushed {
		return w.err
	}
	if !w.direct {
		w.writeOut(w.n)
		return w.err
	}
	n := w.n
	padded := (n + align - 1) / align * align
	clear(w.buf[n:padded])
	if err := w.writeAt(w.buf[:padded]); err != nil {
		w.err = err
		return w.err
	}
	if err := w.f.Truncate(w.size + int64(n)); err != nil {
		w.err = fmt.Errorf("directio: truncate %s: %w", w.f.Name(), err)
		return w.err
	}
	// The whole blocks stay written; the partial one stays buffered, to
	// be written again, completed, by the next writeOut.
	whole := n / align * align
	w.size += int64(whole)
	w.n = copy(w.buf, w.buf[whole:n])
	w.flushed = true
	return nil
}

// Sync flushes and makes the file durable.
func (w *Writer) Sync() error {
	if err := w.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		w.err = fmt.Errorf("directio: sync %s: %w", w.f.Name(), err)
	}
	return w.err
}

// Close closes the file; bytes not flushed are lost.
func (w *Writer) Close() error { return w.f.Close() }

// Reader reads a file from start to end.
type Reader struct {
	f    *os.File
	buf  []byte
	r, n int   // buf[r:n] is unread
	off  int64 // the file offset of the next read
	err  error
}

// Open opens a file for reading.
func Open(path string) (*Reader, error) {
	f, _, err := openDirect(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	return &Reader{f: f, buf: alignedBuf()}, nil
}

// Read reads up to len(p) bytes.
func (r *Reader) Read(p []byte) (int, error) {
	if r.r == r.n {
		if r.err != nil {
			return 0, r.err
		}
		// Whole buffers at aligned offsets: the file's length may end
		// inside the last one, which O_DIRECT reads short.
		n, err := r.f.ReadAt(r.buf, r.off)
		if n == 0 && err != nil && errors.Is(err, syscall.EINVAL) && clearDirect(r.f) == nil {
			n, err = r.f.ReadAt(r.buf, r.off) // O_DIRECT opened but refused
		}
		r.r, r.n, r.off = 0, n, r.off+int64(n)
		if err == io.EOF || (err == nil && n < len(r.buf)) {
			r.err = io.EOF
		} else if err != nil {
			r.err = fmt.Errorf("directio: read %s: %w", r.f.Name(), err)
		}
		if n == 0 {
			return 0, r.err
		}
	}
	c := copy(p, r.buf[r.r:r.n])
	r.r += c
	return c, nil
}

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }
