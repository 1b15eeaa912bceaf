package input

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// reader yields the values of one source, then io.EOF.
type reader interface {
	next() (string, error)
}

// valueList yields the values of a ::: group.
type valueList struct {
	vals []string
	pos  int
}

func (l *valueList) next() (string, error) {
	if l.pos >= len(l.vals) {
		return "", io.EOF
	}
	v := l.vals[l.pos]
	l.pos++
	return v, nil
}

// fileReader yields the records of a file or stdin; read errors name it.
type fileReader struct {
	sp   *splitter
	name string
}

func (f *fileReader) next() (string, error) {
	v, err := f.sp.next()
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read %s: %w", f.name, err)
	}
	return v, err
}

// eofReader ends its source at the first value equal to eof (-E).
type eofReader struct {
	r    reader
	eof  string
	done bool
}

func (e *eofReader) next() (string, error) {
	if e.done {
		return "", io.EOF
	}
	v, err := e.r.next()
	if err == nil && v == e.eof {
		e.done = true
		return "", io.EOF
	}
	return v, err
}

// contReader joins a value that ends in white space with the next one, as
// xargs -L does: "a " and "b" make "a b". The delimiter between them goes.
type contReader struct {
	r reader
}

func (c *contReader) next() (string, error) {
	v, err := c.r.next()
	for err == nil && v != "" && isBlank(v[len(v)-1]) {
		var w string
		w, err = c.r.next()
		if errors.Is(err, io.EOF) {
			return v, nil
		}
		v += w
	}
	return v, err
}

// pipeline is what every source's values go through after they are cut:
// the end-of-file string, then line continuation.
type pipeline struct {
	eof  string // -E; "" for none
	cont bool   // -L: join values that end in white space
}

// wrap puts r through the pipeline.
func (p pipeline) wrap(r reader) reader {
	if p.eof != "" {
		r = &eofReader{r: r, eof: p.eof}
	}
	if p.cont {
		r = &contReader{r: r}
	}
	return r
}

// count returns how many values r yields through the pipeline.
func (p pipeline) count(r reader) (int64, error) {
	r = p.wrap(r)
	var n int64
	for {
		_, err := r.next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		n++
	}
}

// source is one input source: its values and what is known of it.
type source struct {
	name string
	r    reader
	// recount counts the source's values again, apart from r and safe to
	// call on another goroutine; nil when it cannot (stdin, pipes).
	recount func() (int64, bool)
	linked  bool // pairs up with the source before it (:::+, ::::+)
	empty   bool // yielded no value (after its header)

	back    string // a value pushed back by peek
	hasBack bool
}

// next returns the source's next value or io.EOF.
func (src *source) next() (string, error) {
	if src.hasBack {
		src.hasBack = false
		v := src.back
		src.back = ""
		return v, nil
	}
	return src.r.next()
}

// peek reads the first value and pushes it back; it reports whether there
// is one.
func (src *source) peek() (bool, error) {
	if src.hasBack {
		return true, nil
	}
	v, err := src.r.next()
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	src.back, src.hasBack = v, true
	return true, nil
}

// all reads the rest of the source into memory.
func (src *source) all() ([]string, error) {
	var out []string
	for {
		v, err := src.next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// splitValues cuts the values of a ::: group at delim as GNU parallel does:
// the values are joined, each followed by delim, and the result is cut
// again. So -d ' ' makes "1 done" two values, and the default newline makes
// "a\nb" two. The slice is returned as is when no value can be cut.
func splitValues(vals []string, delim string) []string {
	if len(delim) == 1 {
		cut := false
		for _, v := range vals {
			if strings.IndexByte(v, delim[0]) >= 0 {
				cut = true
				break
			}
		}
		if !cut {
			return vals
		}
	}
	var b strings.Builder
	for _, v := range vals {
		b.WriteString(v)
		b.WriteString(delim)
	}
	joined := b.String()
	if joined == "" {
		return nil
	}
	out := strings.Split(joined, delim)
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// openSource opens the source of spec. stdin is the one shared splitter of
// standard input: several "-" sources read it in turn, as in GNU parallel.
func openSource(spec SourceSpec, delim string, p pipeline, stdin func() *splitter) (*source, io.Closer, error) {
	if spec.IsValues {
		vals := splitValues(spec.Values, delim)
		src := &source{name: DefaultArgSep, r: p.wrap(&valueList{vals: vals}), linked: spec.Linked}
		src.recount = func() (int64, bool) {
			n, _ := p.count(&valueList{vals: vals})
			return n, true
		}
		return src, nil, nil
	}
	if spec.Path == "-" {
		return &source{name: "stdin", r: p.wrap(&fileReader{sp: stdin(), name: "stdin"}), linked: spec.Linked}, nil, nil
	}
	f, err := os.Open(spec.Path)
	if err != nil {
		return nil, nil, err // *PathError: "open FILE: ..."
	}
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		_ = f.Close()
		return nil, nil, &os.PathError{Op: "open", Path: spec.Path, Err: errIsDir}
	}
	src := &source{name: spec.Path, r: p.wrap(&fileReader{sp: newSplitter(f, delim), name: spec.Path}), linked: spec.Linked}
	if err == nil && fi.Mode().IsRegular() {
		path := spec.Path
		src.recount = func() (int64, bool) {
			g, err := os.Open(path)
			if err != nil {
				return 0, false
			}
			defer g.Close()
			n, err := p.count(&fileReader{sp: newSplitter(g, delim), name: path})
			return n, err == nil
		}
	}
	return src, f, nil
}
