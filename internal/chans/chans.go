// Package chans holds the channel helper that pool and runner share.
package chans

// Closed reports whether c is closed, without blocking; a nil c is never
// closed. c must be a channel that is only ever closed, never sent on.
func Closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
