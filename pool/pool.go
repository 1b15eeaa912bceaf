// Package pool runs tasks on a bounded number of goroutines and hands their
// results back either in submission order (like Python's Pool.map) or in
// completion order (like concurrent.futures.as_completed).
//
// pool knows nothing of processes: a task is any function. gopool's CLI
// runs one child process per task, but the package is as happy with fakes.
//
// Lifecycle: Run pulls tasks one at a time from a next function, and only
// when a slot is free, so it never reads input ahead of what it can start.
// Each task runs on its own goroutine with a slot number from 1 to Workers
// that no other running task holds. Results are delivered by calling emit on
// Run's own goroutine, one at a time. Run returns when every started task
// has finished and been emitted, and no task will start any more: because
// next reported the end, Drain was closed or ctx was cancelled.
package pool

import (
	"context"

	"github.com/gopool/gopool/internal/chans"
)

// Options configures Run. The zero value runs one task at a time and emits
// results as they complete.
type Options[R any] struct {
	// Workers is the most tasks running at once; less than 1 means 1.
	Workers int
	// Ordered delivers results in submission order. Otherwise results are
	// delivered as tasks complete.
	Ordered bool
	// Park, when set and Ordered, is called (on Run's goroutine) for a
	// result that finished early and must wait for an earlier one; its
	// return value is what is kept and later emitted. gopool uses it to move
	// waiting output out of per-job files.
	Park func(R) R
	// Drain, when closed, stops new tasks from starting; running tasks
	// finish and are emitted, and Run returns without waiting for next.
	Drain <-chan struct{}
}

type done[R any] struct {
	seq  int64
	slot int
	r    R
}

type fetched[T any] struct {
	t  T
	ok bool
}

// Run calls next for each task until it returns false, runs fn(ctx, slot,
// task) with at most opt.Workers running at once, and calls emit for each
// result, in submission order if opt.Ordered, else in completion order.
//
// Cancelling ctx stops starting tasks; fn sees the cancelled ctx and should
// return soon. Run does not wait for a next call that is blocked (reading
// input, say) once ctx is cancelled or Drain is closed: that call's task is
// dropped and next is not called again.
//
// next is called from a goroutine of Run's, one call at a time. fn is
// called on a new goroutine per task. emit and Park are called on Run's
// goroutine. A panic in fn is not recovered.
func Run[T, R any](ctx context.Context, opt Options[R], next func() (T, bool), fn func(ctx context.Context, slot int, t T) R, emit func(R)) {
	workers := opt.Workers
	if workers < 1 {
		workers = 1
	}
	// Slots are made on first use, so that a huge Workers (gopool's -j 0)
	// costs nothing up front. Freed slots are reused lowest-last.
	var free []int
	made := 0

	// The fetcher calls next on request. Its answer channel has room for one
	// answer so that a fetcher still blocked in next when Run returns can
	// deliver and exit once fetchReq is closed.
	fetchReq := make(chan struct{})
	fetchResp := make(chan fetched[T], 1)
	go func() {
		for range fetchReq {
			t, ok := next()
			fetchResp <- fetched[T]{t, ok}
			if !ok {
				return
			}
		}
	}()
	defer close(fetchReq)

	results := make(chan done[R], min(workers, 1024))
	var (
		seq      int64 // next submission number
		emitSeq  int64 // next to emit when ordered
		pending  map[int64]R
		inflight int
		fetching bool
		stopped  bool // no more tasks: input ended, drained or cancelled
	)
	if opt.Ordered {
		pending = make(map[int64]R)
	}
	ctxDone := ctx.Done()
	drain := opt.Drain

	deliver := func(d done[R]) {
		if !opt.Ordered {
			emit(d.r)
			return
		}
		if d.seq != emitSeq {
			if opt.Park != nil {
				d.r = opt.Park(d.r)
			}
			pending[d.seq] = d.r
			return
		}
		emit(d.r)
		emitSeq++
		for {
			r, ok := pending[emitSeq]
			if !ok {
				return
			}
			delete(pending, emitSeq)
			emit(r)
			emitSeq++
		}
	}

	for {
		if !stopped && !fetching && (len(free) > 0 || made < workers) {
			// A drain or cancel that is already there wins over a new
			// task, whatever order select would pick them in.
			select {
			case <-drain:
				stopped, drain = true, nil
			case <-ctxDone:
				stopped, ctxDone = true, nil
			default:
				fetchReq <- struct{}{}
				fetching = true
			}
		}
		if inflight == 0 && (stopped || !fetching) {
			return
		}
		select {
		case f := <-fetchResp:
			fetching = false
			if !f.ok || stopped || chans.Closed(drain) || chans.Closed(ctxDone) {
				stopped = true
				continue
			}
			var slot int
			if n := len(free); n > 0 {
				slot, free = free[n-1], free[:n-1]
			} else {
				made++
				slot = made
			}
			inflight++
			go func(seq int64, slot int, t T) {
				results <- done[R]{seq, slot, fn(ctx, slot, t)}
			}(seq, slot, f.t)
			seq++
		case d := <-results:
			inflight--
			free = append(free, d.slot)
			deliver(d)
		case <-ctxDone:
			stopped, ctxDone = true, nil
		case <-drain:
			stopped, drain = true, nil
		}
	}
}
