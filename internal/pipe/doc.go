// Package pipe cuts an input into blocks of whole records for gopool's pipe
// mode (--pipe, --pipepart and their family) and feeds a block to a job's
// stdin.
//
// Three splitters yield the blocks one at a time, Next being called only
// when a job slot is free:
//
//   - [NewStream] reads a stream (a pipe) into at most J+1 reused buffers,
//     the blocks of over 64 MiB into unlinked temp files.
//   - [NewFile] cuts a seekable file exactly as [NewStream] cuts the same
//     bytes from a pipe, but reads only around each cut: a block is a range
//     of the file that [Block.WriteTo] sends to the job with sendfile(2).
//   - [NewPart] cuts a file GNU parallel's --pipepart way: each range is at
//     least the block size, ending at the first record end after it.
//
// [Open] picks between the first two from the input.
//
// A caller takes a block with Next when a job slot is free, feeds it to
// the job's stdin through a pipe it owns (os.Pipe, the read end as
// exec.Cmd.Stdin, [Block.WriteTo] on the write end, which uses sendfile
// for the blocks in files), feeds it again for a retry, and calls
// [Block.Release] after the block's last attempt. [CatFile] and [Fifo]
// serve --cat and --fifo; [Block.Header] and [Block.WriteDataTo] serve
// --round-robin, whose jobs take the header once.
//
// The rules (GNU parallel 20221122's, see shared/design/pipe.md) in short:
// fill a buffer with --block bytes, cut after the last record end in it
// and carry the partial record into the next block; at the end of the
// input the rest is the last block. A record longer than the block grows
// the block by 1.3 for good, with GNU's warning. -N n cuts after n records,
// -L n makes n lines one record. Separators are literal bytes, or with
// --regexp Go RE2 regular expressions (not Perl's).
package pipe
