package report

import (
	"bytes"
	"io"
	"strconv"
	"time"

	"github.com/migsafe/migsafe/engine"
)

// Stream writes a report one file at a time, so that `check` holds one file's
// analysis at a time however many files it checks: JSON and text are written as each
// file arrives. The other formats open with the totals or read every file's source
// and fixes (markdown's diffs and runbooks), so they are written at the end.
type Stream struct {
	t    totals
	file func(*File) error
	end  func(*totals) error
}

// NewStream keeps the files and calls write with the whole report at the end.
func NewStream(write func(*Report) error) *Stream {
	r := &Report{Version: Version, Generated: time.Now()}
	return &Stream{
		file: func(f *File) error {
			r.Files = append(r.Files, f)
			return nil
		},
		end: func(t *totals) error {
			r.Summary = t.summary()
			if r.Files == nil {
				r.Files = []*File{}
			}
			return write(r)
		},
	}
}

// NewJSONStream writes `check --format json` as files arrive.
func NewJSONStream(w io.Writer) *Stream {
	js := &jsonStream{w: w}
	return &Stream{file: js.file, end: func(t *totals) error { return js.end(t.summary()) }}
}

// NewTextStream writes the text report as files arrive.
func NewTextStream(w io.Writer, opts TextOptions) *Stream {
	p := palette{on: opts.Color}
	var b bytes.Buffer // reset after each file, keeping its capacity for the next
	flush := func() error {
		_, err := w.Write(b.Bytes())
		b.Reset()
		return err
	}
	return &Stream{
		file: func(f *File) error {
			writeTextFile(&b, f, p)
			return flush()
		},
		end: func(t *totals) error {
			writeTextSummary(&b, t.sentence(), t.summary(), p)
			return flush()
		},
	}
}

// Add reports one analysed file.
func (s *Stream) Add(res *engine.Result) error {
	f := buildFile(res)
	s.t.add(f)
	return s.file(f)
}

// Unchecked counts a file the run named or found but could not check (it could not be
// read, or its config is broken): the summary says so and its verdict is BLOCK.
func (s *Stream) Unchecked() { s.t.s.Unchecked++ }

// Unverified counts a file whose rollback --verify-rollback could not verify (no
// PostgreSQL, or its cluster did not start): the file is reported from its static
// analysis, but the summary says the check asked for did not run, and its verdict is
// BLOCK, as for a file not checked.
func (s *Stream) Unverified() { s.t.s.Unverified++ }

// Close writes what remains: the summary, or the whole report for formats written at
// the end.
func (s *Stream) Close() error {
	return s.end(&s.t)
}

// jsonStream writes the JSON report's opening, each file, then the summary.
type jsonStream struct {
	w     io.Writer
	buf   []byte // reused from file to file
	files int
	err   error // the first write's error
}

// spillAt is the size past which a file's JSON is written out between two of its
// findings. The buffer is reused from file to file: the corpus's largest file (a
// megabyte of JSON, thousands of findings) made it grow to that, copied at every
// doubling (5 MB allocated a run), and kept it for the rest of the run.
const spillAt = 32 << 10

// spill writes b out once it holds spillAt bytes, and returns what to append to.
func (js *jsonStream) spill(b []byte) []byte {
	if len(b) < spillAt {
		return b
	}
	if js.err == nil {
		_, js.err = js.w.Write(b)
	}
	return b[:0]
}

func (js *jsonStream) file(f *File) error {
	b := js.buf[:0]
	if js.files == 0 {
		b = append(b, "{\n  \"version\": "+strconv.Itoa(Version)+",\n  \"files\": [\n"...)
	} else {
		b = append(b, ",\n"...)
	}
	js.files++
	b = js.jsonFile(b, f)
	js.buf = b
	if js.err == nil {
		_, js.err = js.w.Write(b)
	}
	return js.err
}

func (js *jsonStream) end(s Summary) error {
	b := js.buf[:0]
	if js.files == 0 {
		b = append(b, "{\n  \"version\": "+strconv.Itoa(Version)+",\n  \"files\": [],\n"...)
	} else {
		b = append(b, "\n  ],\n"...)
	}
	b = jsonSummary(b, s)
	_, err := js.w.Write(b)
	return err
}
