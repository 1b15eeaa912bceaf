package pool_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gopool/gopool/pool"
)

// items returns a next function that yields the values one at a time, the
// way gopool's CLI reads one record per call.
func items[T any](values ...T) func() (T, bool) {
	return func() (T, bool) {
		var zero T
		if len(values) == 0 {
			return zero, false
		}
		v := values[0]
		values = values[1:]
		return v, true
	}
}

// Run with Ordered is Python's Pool.map: results come back in submission
// order even though, here, every task finishes before the one submitted
// before it (task i waits for task i+1).
func ExampleRun() {
	words := []string{"alpha", "beta", "gamma", "delta"}
	finished := make([]chan struct{}, len(words)+1)
	for i := range finished {
		finished[i] = make(chan struct{})
	}
	close(finished[len(words)])

	next := items(0, 1, 2, 3)
	pool.Run(context.Background(), pool.Options[string]{Workers: len(words), Ordered: true},
		next,
		func(_ context.Context, _ int, i int) string {
			<-finished[i+1] // the later task finishes first
			defer close(finished[i])
			return strings.ToUpper(words[i])
		},
		func(r string) { fmt.Println(r) })
	// Output:
	// ALPHA
	// BETA
	// GAMMA
	// DELTA
}

// Without Ordered, Run is submit plus as_completed: each result is emitted
// as soon as its task finishes. The tasks here finish in reverse order.
func ExampleRun_asCompleted() {
	const n = 4
	finished := make([]chan struct{}, n+1)
	for i := range finished {
		finished[i] = make(chan struct{})
	}
	close(finished[n])

	pool.Run(context.Background(), pool.Options[string]{Workers: n},
		items(0, 1, 2, 3),
		func(_ context.Context, slot int, i int) string {
			<-finished[i+1]
			defer close(finished[i])
			return fmt.Sprintf("task %d done", i)
		},
		func(r string) { fmt.Println(r) })
	// Output:
	// task 3 done
	// task 2 done
	// task 1 done
	// task 0 done
}

// A task that takes too long is cut short by a per-task timeout, like
// gopool's --timeout; the other tasks are not affected, and the results
// still come in order.
func ExampleRun_timeout() {
	type result struct {
		name string
		err  error
	}
	work := func(ctx context.Context, name string) error {
		if name == "hangs" {
			<-ctx.Done() // a task that never finishes by itself
			return ctx.Err()
		}
		return nil
	}
	pool.Run(context.Background(), pool.Options[result]{Workers: 2, Ordered: true},
		items("fast", "hangs", "quick"),
		func(ctx context.Context, _ int, name string) result {
			ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			return result{name, work(ctx, name)}
		},
		func(r result) {
			switch {
			case errors.Is(r.err, context.DeadlineExceeded):
				fmt.Println(r.name, "timed out")
			case r.err != nil:
				fmt.Println(r.name, "failed:", r.err)
			default:
				fmt.Println(r.name, "ok")
			}
		})
	// Output:
	// fast ok
	// hangs timed out
	// quick ok
}
