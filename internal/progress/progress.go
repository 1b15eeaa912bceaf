// Package progress shows how far a run of jobs is: a bar redrawn on one
// terminal line, or plain lines for a log.
//
// The bar never takes more than the terminal's width minus one column,
// so it never wraps; it is drawn with a carriage return, overwritten with
// spaces before anything else is written, and uses no escape codes. While the input still streams it shows
// counts ("340/1000+"), no percentage and no ETA. Plain mode prints
//
//	gopool: 340/1000 done, 2 failed, 12.3 jobs/s, eta 54s
//
// every interval and once at the end, with no escape codes and no
// carriage returns.
package progress

import (
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Tick is how often the bar is redrawn.
const Tick = 100 * time.Millisecond

// DefaultInterval is how often plain mode prints a line when
// Options.Interval is 0.
const DefaultInterval = 10 * time.Second

// defaultWidth is the width when the terminal's is unknown.
const defaultWidth = 80

// Options configure a Meter.
type Options struct {
	// Plain prints a log line every Interval and at the end instead of
	// redrawing a bar.
	Plain bool
	// Interval is how often plain mode prints a line; 0 means
	// DefaultInterval.
	Interval time.Duration
	// Width reports the terminal's width in columns. It is called at
	// each redraw, so the bar follows a resized terminal. Nil, or a
	// result of 0 or less, means 80.
	Width func() int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Meter counts jobs and shows the counts on w.
//
// Lifecycle: New starts one goroutine that redraws the bar every Tick (or
// prints a plain line every Interval); Close stops it and shows the
// final counts on a line of their own. SetTotal, AddTotal, EndInput and
// JobDone may be called from any goroutine, as may Around and the
// writers of Writer. Everything that writes to w holds one lock, so the
// bar and job output never mix.
type Meter struct {
	w     io.Writer
	plain bool
	width func() int
	now   func() time.Time
	start time.Time

	total atomic.Int64 // jobs read, or the total given to SetTotal
	final atomic.Bool  // the total will not grow
	known atomic.Bool  // SetTotal was called: AddTotal does nothing

	mu           sync.Mutex
	done, failed int64
	shown        string // the bar on the terminal; "" when none is
	closed       bool

	quit chan struct{}
	wg   sync.WaitGroup
}

// New returns a Meter that shows progress on w and starts its goroutine.
// Close must be called to stop it.
func New(w io.Writer, opt Options) *Meter {
	every := Tick
	if opt.Plain {
		every = opt.Interval
		if every <= 0 {
			every = DefaultInterval
		}
	}
	t := time.NewTicker(every)
	m := newMeter(w, opt)
	m.run(t.C, t.Stop)
	return m
}

// run starts the goroutine that shows the counts at each tick until
// Close, then calls stop.
func (m *Meter) run(tick <-chan time.Time, stop func()) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer stop()
		m.loop(tick)
	}()
}

// newMeter returns a Meter without its goroutine.
func newMeter(w io.Writer, opt Options) *Meter {
	m := &Meter{w: w, plain: opt.Plain, width: opt.Width, now: opt.Now, quit: make(chan struct{})}
	if m.now == nil {
		m.now = time.Now
	}
	m.start = m.now()
	return m
}

// loop shows the counts at each tick until Close.
func (m *Meter) loop(tick <-chan time.Time) {
	for {
		select {
		case <-m.quit:
			return
		case <-tick:
			m.mu.Lock()
			if m.plain {
				m.printPlain(false)
			} else {
				m.draw(false)
			}
			m.mu.Unlock()
		}
	}
}

// SetTotal fixes the total when the input was counted ahead; later
// AddTotal calls do nothing.
func (m *Meter) SetTotal(n int64) {
	m.known.Store(true)
	m.total.Store(n)
	m.final.Store(true)
}

// AddTotal counts one more job read, unless SetTotal fixed the total.
func (m *Meter) AddTotal() {
	if !m.known.Load() {
		m.total.Add(1)
	}
}

// EndInput says that the total is final: no more jobs will be read.
func (m *Meter) EndInput() { m.final.Store(true) }

// JobDone counts a finished job.
func (m *Meter) JobDone(failed bool) {
	m.mu.Lock()
	m.done++
	if failed {
		m.failed++
	}
	m.mu.Unlock()
}

// Around runs print with the bar erased, and draws it again after; in
// plain mode it runs print under the lock only. It returns print's
// error.
func (m *Meter) Around(print func() error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.erase()
	err := print()
	if !m.plain && !m.closed {
		m.draw(false)
	}
	return err
}

// Writer returns w wrapped so that each write erases the bar first (for
// output that streams while jobs run); the next tick draws it again.
func (m *Meter) Writer(w io.Writer) io.Writer { return &writer{m: m, w: w} }

type writer struct {
	m *Meter
	w io.Writer
}

func (w *writer) Write(b []byte) (int, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.erase()
	return w.w.Write(b)
}

// Close stops the goroutine and shows the final counts, ending their
// line. Calls after the first do nothing.
func (m *Meter) Close() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.closed = true
	m.mu.Unlock()
	close(m.quit)
	m.wg.Wait()

	m.mu.Lock()
	defer m.mu.Unlock()
	if m.plain {
		m.printPlain(true)
		return
	}
	m.draw(true)
	_, _ = io.WriteString(m.w, "\n")
	m.shown = ""
}

// counts returns the counts as they are now; ended marks the run over.
// Called with mu held.
func (m *Meter) counts(ended bool) Counts {
	return Counts{
		Done: m.done, Failed: m.failed,
		Total: m.total.Load(), Final: m.final.Load(), Ended: ended,
		Elapsed: m.now().Sub(m.start),
	}
}

// draw shows the bar; called with mu held.
func (m *Meter) draw(ended bool) {
	w := defaultWidth
	if m.width != nil {
		if n := m.width(); n > 0 {
			w = n
		}
	}
	line := m.counts(ended).Line(w)
	if line == m.shown && !ended {
		return
	}
	_, _ = io.WriteString(m.w, "\r"+line+blank(m.shown, line))
	m.shown = line
}

// erase removes the bar from the terminal; called with mu held.
func (m *Meter) erase() {
	if m.plain || m.shown == "" {
		return
	}
	_, _ = io.WriteString(m.w, "\r"+blank(m.shown, "")+"\r")
	m.shown = ""
}

// blank is the spaces that overwrite what is left of old after line was
// drawn over it. Spaces, not an erase-line escape code, so that the bar
// works on any console and writes no escape code at all (NO_COLOR); as
// old was narrower than the terminal, they never wrap.
func blank(old, line string) string {
	n := utf8.RuneCountInString(old) - utf8.RuneCountInString(line)
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// printPlain prints one plain line; called with mu held.
func (m *Meter) printPlain(ended bool) {
	_, _ = io.WriteString(m.w, m.counts(ended).Plain()+"\n")
}
