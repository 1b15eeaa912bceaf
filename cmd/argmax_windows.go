package cmd

// argMax is the room for a command line on Windows: 32767 characters for
// the whole line (the environment is apart).
func argMax() int64 {
	return 32 << 10
}
