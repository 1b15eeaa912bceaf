package cmd

import (
	"errors"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/gopool/gopool/output/spool"
	"github.com/gopool/gopool/runner"
)

func TestEncodeJob(t *testing.T) {
	start := time.Unix(1700000000, 123456789)
	tests := []struct {
		name string
		j    *job
	}{
		{"plain", &job{seq: 1, slot: 2, args: []string{"a b", ""}, argv: []string{"echo", "a b", ""},
			res: runner.Result{Start: start, Duration: 1500 * time.Millisecond, Sent: 7}}},
		{"not expanded", &job{seq: 9, args: []string{"x\x00y"}, out: jobOutput{note: "gopool: job 9: bad\n"},
			res: runner.Result{ExitCode: 127, Start: start, Err: errors.New("bad")}}},
		{"stopped by a signal", &job{seq: 1 << 40, slot: 1, argv: []string{}, args: []string{},
			res: runner.Result{ExitCode: -1, Signal: syscall.SIGTERM, TimedOut: true, Stopped: true, Start: start},
			out: jobOutput{streamed: 12345}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeJob(encodeJob(nil, tt.j))
			if err != nil {
				t.Fatal(err)
			}
			want := tt.j
			if (got.res.Err == nil) != (want.res.Err == nil) || (got.res.Err != nil && got.res.Err.Error() != want.res.Err.Error()) {
				t.Errorf("got Err %v, want %v", got.res.Err, want.res.Err)
			}
			if !got.res.Start.Equal(want.res.Start) {
				t.Errorf("got Start %v, want %v", got.res.Start, want.res.Start)
			}
			gotRes, wantRes := got.res, want.res
			gotRes.Err, wantRes.Err, gotRes.Start, wantRes.Start = nil, nil, time.Time{}, time.Time{}
			if got.seq != want.seq || got.slot != want.slot || !reflect.DeepEqual(got.args, want.args) ||
				!reflect.DeepEqual(got.argv, want.argv) || gotRes != wantRes || got.out != want.out || !got.completed {
				t.Errorf("got seq %d slot %d args %q argv %q res %+v out %+v completed %v, want %d %d %q %q %+v %+v true",
					got.seq, got.slot, got.args, got.argv, gotRes, got.out, got.completed,
					want.seq, want.slot, want.args, want.argv, wantRes, want.out)
			}
		})
	}
	for _, bad := range [][]byte{nil, {0}, {0, 2}, {4, 2, 2, 5, 1}} {
		if _, err := decodeJob(bad); err == nil {
			t.Errorf("decodeJob(%q): got no error, want one", bad)
		}
	}
}

func TestParkHoldsFewJobs(t *testing.T) {
	p := &parker{spill: spool.NewSpill(t.TempDir(), 0)}
	defer p.close()
	var ds []done
	for i := range heldJobs + 4 {
		ds = append(ds, p.park(&job{seq: int64(i + 1), args: []string{"v"}, completed: true}))
	}
	for i, d := range ds {
		if inMemory := d.j != nil; inMemory != (i < heldJobs) || inMemory && !d.j.held {
			t.Errorf("job %d: in memory %v; want the first %d in memory, held, and the rest in the spill", i+1, inMemory, heldJobs)
		}
	}
	// One held job printed: the next waiting job may stay in memory.
	if j, err := p.unpark(ds[0]); err != nil || j.seq != 1 {
		t.Fatalf("unpark(1): %v, %v", j, err)
	}
	if d := p.park(&job{seq: 99, completed: true}); d.j == nil || !d.j.held {
		t.Errorf("park after an unpark: got %+v, want it held in memory", d)
	}
	// A spilled job comes back whole.
	if j, err := p.unpark(ds[heldJobs]); err != nil || j.seq != int64(heldJobs+1) || !reflect.DeepEqual(j.args, []string{"v"}) {
		t.Errorf("unpark(%d): got %+v, %v", heldJobs+1, j, err)
	}
}
