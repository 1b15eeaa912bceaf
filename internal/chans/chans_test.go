package chans

import "testing"

func TestClosed(t *testing.T) {
	closed := make(chan struct{})
	close(closed)
	tests := []struct {
		name string
		c    chan struct{}
		want bool
	}{
		{"nil", nil, false},
		{"open", make(chan struct{}), false},
		{"closed", closed, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Closed(tt.c); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
