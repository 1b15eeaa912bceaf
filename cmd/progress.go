package cmd

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressMode is --progress.
type progressMode int

const (
	progressAuto   progressMode = iota // when stderr is a terminal and stdout is not
	progressAlways                     // always, on stderr
	progressNever
)

func parseProgress(v string) (progressMode, error) {
	switch v {
	case "", "auto":
		return progressAuto, nil
	case "always", "true":
		return progressAlways, nil
	case "never", "false":
		return progressNever, nil
	}
	return 0, fmt.Errorf("bad --progress %q: want auto, always or never", v)
}

// show reports whether the bar is shown for these streams.
func (m progressMode) show(s *Streams) bool {
	switch m {
	case progressAlways:
		return true
	case progressAuto:
		return s.ErrTTY && !s.OutTTY
	}
	return false
}

// progressTick is how often the bar is redrawn.
const progressTick = 100 * time.Millisecond

// progress draws the progress bar on stderr: done/total jobs, failed,
// rate and ETA. The total is the number of jobs read so far, plus one while
// input is still streaming, so the bar never looks finished before it is.
//
// Lifecycle: newProgress starts one goroutine that redraws the bar every
// progressTick; close stops it and leaves the final bar on its own line.
// addTotal and endInput may be called from any goroutine; jobDone, around
// and close from one goroutine at a time. Everything that writes to the
// terminal holds mu, so the bar and job output never mix.
type progress struct {
	w io.Writer

	total atomic.Int64 // jobs read
	ended atomic.Bool  // input ended
	known atomic.Bool  // total counted ahead: addTotal does nothing

	mu           sync.Mutex
	bar          *progressbar.ProgressBar
	done, failed int64
	shownMax     int64
	shownFailed  int64
	hidden       bool // cleared for output; the next tick redraws
	closing      bool // close draws the final bar

	quit chan struct{}
	wg   sync.WaitGroup
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, shownFailed: -1, quit: make(chan struct{})}
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer p.wg.Done()
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
		}
	}
}

// addTotal counts one more job read, unless the total was known ahead.
func (p *progress) addTotal() {
	if !p.known.Load() {
		p.total.Add(1)
	}
}

// setTotal fixes the total when the input is counted ahead (::: values).
func (p *progress) setTotal(n int64) {
	p.known.Store(true)
	p.total.Store(n)
	p.ended.Store(true)
}

// endInput says that the total is final.
func (p *progress) endInput() { p.ended.Store(true) }

// jobDone counts a finished job.
func (p *progress) jobDone(failed bool) {
	p.mu.Lock()
	p.done++
	if failed {
		p.failed++
	}
	p.mu.Unlock()
}

// around runs print with the bar cleared, and redraws it after.
func (p *progress) around(print func() error) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	err := print()
	p.draw()
	return err
}

// writer returns w wrapped so that each write clears the bar first (for
// --line-buffer); the next tick redraws it.
func (p *progress) writer(w io.Writer) io.Writer { return &progressWriter{p: p, w: w} }

type progressWriter struct {
	p *progress
	w io.Writer
}

func (pw *progressWriter) Write(b []byte) (int, error) {
	pw.p.mu.Lock()
	defer pw.p.mu.Unlock()
	pw.p.clear()
	return pw.w.Write(b)
}

// clear erases the bar from the terminal; called with mu held.
func (p *progress) clear() {
	if p.bar != nil && !p.hidden && !p.bar.IsFinished() {
		_ = p.bar.Clear()
		p.hidden = true
	}
}

// draw renders the bar with the current counts; called with mu held.
func (p *progress) draw() {
	total := p.total.Load()
	if !p.ended.Load() {
		total++ // more may come
	}
	total = max(total, p.done, 1)
	if !p.closing && total == p.done {
		// A finished bar can be neither cleared nor redrawn, and jobs may
		// still print (map mode prints in order): only close finishes it.
		total++
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetWidth(20),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("jobs"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionThrottle(0),
			progressbar.OptionSetDescription("0 failed"),
		)
		p.shownMax, p.shownFailed = total, 0
	}
	p.hidden = false
	if total != p.shownMax {
		p.bar.ChangeMax64(total)
		p.shownMax = total
	}
	if p.failed != p.shownFailed {
		p.bar.Describe(fmt.Sprintf("%d failed", p.failed))
		p.shownFailed = p.failed
	}
	_ = p.bar.Set64(p.done)
}

// close stops the redraws, draws the final counts and ends the bar's line.
func (p *progress) close() {
	close(p.quit)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closing = true
	p.draw()
	fmt.Fprintln(p.w)
}
