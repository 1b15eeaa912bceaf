package remote

import (
	"context"
	"testing"

	"github.com/gopool/gopool/runner"
)

func TestLocalHost(t *testing.T) {
	logins, err := ParseLogins("2/:")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, err := c.Ready(context.Background()); err != nil || n != 2 {
		t.Errorf("Ready: got %d, %v; want 2", n, err)
	}
	var slots []*Slot
	for range 2 {
		s, err := c.Acquire(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Host().Local() || s.Host().Login() != ":" {
			t.Errorf("got host %q, want the local machine", s.Host().Login())
		}
		slots = append(slots, s)
	}
	if _, err := slots[0].Start(context.Background(), runner.Spec{Argv: []string{"true"}}); err == nil {
		t.Error("Start on a local slot: got no error, want one (the caller runs local jobs)")
	}
	// Both slots are taken: a third Acquire waits until one is released.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Acquire(ctx, nil); err == nil {
		t.Error("third Acquire: got a slot, want to wait")
	}
	slots[0].Release()
	if s, err := c.Acquire(context.Background(), nil); err != nil {
		t.Error(err)
	} else {
		s.Release()
	}
	slots[1].Release()
}
