package pool

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// counter returns a next function that yields 0..n-1.
func counter(n int) func() (int, bool) {
	i := 0
	return func() (int, bool) {
		if i >= n {
			return 0, false
		}
		i++
		return i - 1, true
	}
}

func TestRunOrder(t *testing.T) {
	tests := []struct {
		name    string
		workers int
		ordered bool
		n       int
	}{
		{"ordered one worker", 1, true, 20},
		{"ordered four workers", 4, true, 200},
		{"ordered more workers than tasks", 64, true, 10},
		{"unordered four workers", 4, false, 200},
		{"zero workers means one", 0, true, 5},
		{"no tasks", 4, true, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Later tasks finish first: task i waits for task i+1 to start
			// finishing, except in sequential runs where that would deadlock.
			var got []int
			Run(context.Background(), Options[int]{Workers: tc.workers, Ordered: tc.ordered},
				counter(tc.n),
				func(_ context.Context, _ int, i int) int { return i * i },
				func(r int) { got = append(got, r) })
			if len(got) != tc.n {
				t.Fatalf("got %d results, want %d", len(got), tc.n)
			}
			want := make([]int, tc.n)
			for i := range want {
				want[i] = i * i
			}
			if !tc.ordered {
				slices.Sort(got)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}

// TestOrderedWithReversedCompletion makes every task finish in reverse
// order, with no sleeps: task i waits until task i+1's result has reached
// Run (it was parked, since task 0 has not finished).
func TestOrderedWithReversedCompletion(t *testing.T) {
	const n = 8
	var delivered [n + 1]chan struct{}
	for i := range delivered {
		delivered[i] = make(chan struct{})
	}
	close(delivered[n])
	var order []int
	parked := 0
	park := func(r int) int {
		parked++
		close(delivered[r])
		return r
	}
	Run(context.Background(), Options[int]{Workers: n, Ordered: true, Park: park},
		counter(n),
		func(_ context.Context, _ int, i int) int {
			<-delivered[i+1]
			return i
		},
		func(r int) { order = append(order, r) })
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; !slices.Equal(order, want) {
		t.Errorf("got order %v, want %v", order, want)
	}
	if parked != n-1 {
		t.Errorf("got %d parked results, want %d", parked, n-1)
	}
}

// TestUnorderedCompletionOrder checks that results come out as tasks
// finish, not as they were submitted. Task i waits until task i+1's result
// has been emitted, so the only possible completion order is n-1, ..., 0.
func TestUnorderedCompletionOrder(t *testing.T) {
	const n = 5
	var emitted [n + 1]chan struct{}
	for i := range emitted {
		emitted[i] = make(chan struct{})
	}
	close(emitted[n])
	var order []int
	Run(context.Background(), Options[int]{Workers: n},
		counter(n),
		func(_ context.Context, _ int, i int) int {
			<-emitted[i+1]
			return i
		},
		func(r int) {
			order = append(order, r)
			close(emitted[r])
		})
	if want := []int{4, 3, 2, 1, 0}; !slices.Equal(order, want) {
		t.Errorf("got order %v, want %v", order, want)
	}
}

func TestLimitAndSlots(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		t.Run(fmt.Sprint(workers), func(t *testing.T) {
			var active, peak atomic.Int32
			var slotUse [9]atomic.Int32
			Run(context.Background(), Options[int]{Workers: workers},
				counter(300),
				func(_ context.Context, slot int, _ int) int {
					if slot < 1 || slot > workers {
						t.Errorf("got slot %d, want 1..%d", slot, workers)
						return 0
					}
					if n := slotUse[slot].Add(1); n != 1 {
						t.Errorf("slot %d held by %d tasks at once", slot, n)
					}
					n := active.Add(1)
					for {
						p := peak.Load()
						if n <= p || peak.CompareAndSwap(p, n) {
							break
						}
					}
					time.Sleep(10 * time.Microsecond) // widen the window; not a synchronisation
					active.Add(-1)
					slotUse[slot].Add(-1)
					return 0
				},
				func(int) {})
			if p := peak.Load(); p > int32(workers) {
				t.Errorf("saw %d active tasks; want ≤ %d", p, workers)
			}
		})
	}
}

// TestNoReadAhead checks that next is only called when a slot is free.
func TestNoReadAhead(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	started := make(chan struct{}, 10)
	go func() {
		<-started
		<-started
		// Both slots are busy: give a misbehaving fetcher time to read on.
		// The wait can only hide a bug, never invent one.
		for range 50 {
			if calls.Load() > 2 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		if c := calls.Load(); c != 2 {
			t.Errorf("next called %d times while both slots were busy, want 2", c)
		}
		close(release)
	}()
	next := counter(10)
	Run(context.Background(), Options[int]{Workers: 2},
		func() (int, bool) { calls.Add(1); return next() },
		func(_ context.Context, _ int, i int) int {
			started <- struct{}{}
			if i < 2 {
				<-release
			}
			return i
		},
		func(int) {})
}

func TestCancelDoesNotWaitForBlockedNext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	block := make(chan struct{})
	defer close(block)
	first := true
	returned := make(chan int)
	go func() {
		n := 0
		Run(ctx, Options[int]{Workers: 2},
			func() (int, bool) {
				if first {
					first = false
					return 1, true
				}
				<-block // input that never ends
				return 0, false
			},
			func(ctx context.Context, _ int, i int) int {
				cancel()
				<-ctx.Done()
				return i
			},
			func(int) { n++ })
		returned <- n
	}()
	select {
	case n := <-returned:
		if n != 1 {
			t.Errorf("got %d results, want 1", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel while next was blocked")
	}
}

func TestDrain(t *testing.T) {
	drain := make(chan struct{})
	var ran, atClose atomic.Int32
	var emitted int
	Run(context.Background(), Options[int]{Workers: 2, Drain: drain},
		counter(1000),
		func(ctx context.Context, _ int, i int) int {
			if ran.Add(1) == 3 {
				close(drain)
				atClose.Store(ran.Load())
			}
			if ctx.Err() != nil {
				t.Error("drain cancelled a running task")
			}
			return i
		},
		func(int) { emitted++ })
	// Once the drain is closed, only tasks already handed out may still
	// start: the other slot's, and one fetched at that very moment.
	if r, c := ran.Load(), atClose.Load(); r-c > 2 {
		t.Errorf("got %d tasks started after the drain (%d before), want at most 2", r-c, c)
	}
	if emitted != int(ran.Load()) {
		t.Errorf("got %d emitted, want %d (every started task)", emitted, ran.Load())
	}
}

func BenchmarkRunOrdered(b *testing.B) {
	b.ReportAllocs()
	Run(context.Background(), Options[int]{Workers: 4, Ordered: true},
		counter(b.N),
		func(_ context.Context, _ int, i int) int { return i },
		func(int) {})
}

func BenchmarkRunOrderedSlowHead(b *testing.B) {
	b.ReportAllocs()
	head := make(chan struct{})
	n := 0
	Run(context.Background(), Options[int]{Workers: 4, Ordered: true},
		counter(b.N+1),
		func(_ context.Context, _ int, i int) int {
			switch i {
			case 0:
				<-head
			case b.N:
				close(head)
			}
			return i
		},
		func(int) { n++ })
	if n != b.N+1 {
		b.Fatalf("got %d results, want %d", n, b.N+1)
	}
}
