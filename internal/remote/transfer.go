package remote

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// splitDotSlash splits a transfer path the way GNU parallel (rsync -R)
// does: "dir/./sub/f" is the local directory "dir" and the path "sub/f"
// that lands in the remote workdir; "/abs/f" is "/" and "abs/f"; "rel/f"
// is "." and "rel/f".
func splitDotSlash(p string) (base, rel string) {
	if i := strings.Index(p, "/./"); i >= 0 {
		base, rel = p[:i], p[i+3:]
		if base == "" {
			base = "/"
		}
		return base, strings.TrimLeft(rel, "/")
	}
	if strings.HasPrefix(p, "./") {
		return ".", strings.TrimLeft(p[2:], "/")
	}
	if strings.HasPrefix(p, "/") {
		return "/", strings.TrimLeft(p, "/")
	}
	return ".", p
}

// remotePaths returns the workdir-relative remote paths of files.
func remotePaths(files []string) []string {
	var out []string
	for _, f := range files {
		_, rel := splitDotSlash(f)
		out = append(out, rel)
	}
	return out
}

// safeRel reports whether rel stays inside the directory it is relative
// to.
func safeRel(rel string) bool {
	if rel == "" || path.IsAbs(rel) {
		return false
	}
	for part := range strings.SplitSeq(rel, "/") {
		if part == ".." {
			return false
		}
	}
	c := path.Clean(rel)
	return c != "." && c != ".."
}

// readyMarker tells the local side that the remote sh has read the whole
// script and now reads its stdin as data.
func readyMarker(nonce string) string { return markerOpen + nonce + ":ready" + markerClose + "\n" }

// session runs body under the remote /bin/sh over m (or a login of its
// own). When in is set it is streamed to body's stdin once the remote sh
// has read the script; out receives body's stdout.
func (h *Host) session(ctx context.Context, m *master, body string, in io.Reader, out io.Writer) error {
	c := h.c
	ready := readyMarker(c.nonce)
	script := "{\nprintf '%s\\n' '" + strings.TrimSuffix(ready, "\n") + "'\n" + body + "\nexit\n}\n"
	argv := h.sshArgs(m, remoteCommand)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = sshSysProcAttr()
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var errBuf tailBuffer
	cmd.Stderr = &errBuf
	if out == nil {
		out = io.Discard
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %q: %w", argv[0], err)
	}
	readyCh := make(chan struct{})
	gate := &startGate{marker: []byte(ready), next: out, onStart: func() { close(readyCh) }}
	copied := make(chan error, 1)
	go func() {
		_, err := io.Copy(gate, stdout)
		copied <- err
	}()
	stop := context.AfterFunc(ctx, func() { _ = cmd.Process.Kill() })
	defer stop()
	_, werr := io.WriteString(stdin, script)
	if werr == nil && in != nil {
		select {
		case <-readyCh:
			_, werr = io.Copy(stdin, in)
		case err := <-copied:
			copied <- err
		}
	}
	stdin.Close()
	copyErr := <-copied
	err = cmd.Wait()
	if err == nil && werr != nil {
		err = werr
	}
	if err == nil && copyErr != nil {
		err = copyErr
	}
	if err != nil {
		if msg := lastLine(errBuf.bytes()); msg != "" {
			return fmt.Errorf("%w: %s", err, msg)
		}
		return err
	}
	return nil
}

// workdirCmd is the sh code that makes and enters the workdir.
func (c *Cluster) workdirCmd() string {
	wd := c.workdir()
	if wd == "" {
		return ""
	}
	q := shQuote(wd)
	return "mkdir -p -- " + q + " && cd -- " + q + " || exit 1\n"
}

// send copies files to the remote workdir as a tar stream (the remote
// side needs only tar) and returns the bytes of file data sent.
func (h *Host) send(ctx context.Context, m *master, files []string) (int64, error) {
	for _, f := range files {
		if _, rel := splitDotSlash(f); !safeRel(rel) {
			return 0, &localError{fmt.Errorf("transfer %q: path leaves the workdir", f)}
		}
		if _, err := os.Lstat(f); err != nil {
			return 0, &localError{fmt.Errorf("transfer: %w", err)}
		}
	}
	if h.useRsync() {
		return h.rsyncSend(ctx, m, files)
	}
	pr, pw := io.Pipe()
	var sent int64
	var tarErr error
	tarDone := make(chan struct{})
	go func() {
		defer close(tarDone)
		sent, tarErr = writeTar(pw, files)
		pw.CloseWithError(tarErr)
	}()
	err := h.session(ctx, m, h.c.workdirCmd()+"exec tar -xf -", pr, nil)
	pr.Close()
	<-tarDone
	if tarErr != nil {
		return sent, &localError{tarErr}
	}
	if err != nil {
		return sent, fmt.Errorf("send %s: %w", strings.Join(files, " "), err)
	}
	return sent, nil
}

// localError is a failure on gopool's side of a transfer (a missing local
// file): the job fails, the host is not blamed.
type localError struct{ err error }

func (e *localError) Error() string { return e.err.Error() }

func (e *localError) Unwrap() error { return e.err }

// writeTar writes files (with what is under directories) to w, each named
// by its remote relative path, and returns the bytes of file data.
func writeTar(w io.Writer, files []string) (int64, error) {
	tw := tar.NewWriter(w)
	var total int64
	for _, f := range files {
		base, rel := splitDotSlash(f)
		if !safeRel(rel) {
			return total, fmt.Errorf("transfer %q: path leaves the workdir", f)
		}
		root := filepath.Join(base, filepath.FromSlash(rel))
		// Parent directories first, so that the remote tar makes them
		// with ordinary modes.
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			r, err := filepath.Rel(base, p)
			if err != nil {
				return err
			}
			link := ""
			if fi.Mode()&fs.ModeSymlink != 0 {
				if link, err = os.Readlink(p); err != nil {
					return err
				}
			}
			hdr, err := tar.FileInfoHeader(fi, link)
			if err != nil {
				return err
			}
			hdr.Name = filepath.ToSlash(r)
			hdr.Uname, hdr.Gname = "", ""
			if fi.IsDir() {
				hdr.Name += "/"
			}
			if err := tw.WriteHeader(hdr); err != nil {
				return err
			}
			if !fi.Mode().IsRegular() {
				return nil
			}
			src, err := os.Open(p)
			if err != nil {
				return err
			}
			defer src.Close()
			n, err := io.Copy(tw, src)
			total += n
			return err
		})
		if err != nil {
			return total, fmt.Errorf("transfer %q: %w", f, err)
		}
	}
	return total, tw.Close()
}

// receive brings files back from the remote workdir and returns the bytes
// of file data received. A file the job did not make is skipped.
func (h *Host) receive(ctx context.Context, m *master, files []string) (int64, error) {
	if len(files) == 0 {
		return 0, nil
	}
	if h.useRsync() {
		return h.rsyncReceive(ctx, m, files)
	}
	type dest struct{ base, rel string }
	var dests []dest
	var q []string
	for _, f := range files {
		base, rel := splitDotSlash(f)
		if !safeRel(rel) {
			return 0, fmt.Errorf("return %q: path leaves the workdir", f)
		}
		dests = append(dests, dest{base, rel})
		q = append(q, shQuote(rel))
	}
	// Only the files that exist, so that one missing file loses no other.
	body := h.c.workdirCmd() + "set --\nfor f in " + strings.Join(q, " ") + "; do [ -e \"$f\" ] || [ -L \"$f\" ] && set -- \"$@\" \"$f\"; done\n[ $# -gt 0 ] || exit 0\nexec tar -cf - -- \"$@\""
	pr, pw := io.Pipe()
	var total int64
	done := make(chan error, 1)
	go func() {
		tr := tar.NewReader(pr)
		var err error
		for {
			var hdr *tar.Header
			hdr, err = tr.Next()
			if err != nil {
				break
			}
			name := strings.TrimSuffix(hdr.Name, "/")
			var to string
			for _, d := range dests {
				if name == d.rel || strings.HasPrefix(name, d.rel+"/") {
					to = filepath.Join(d.base, filepath.FromSlash(name))
					break
				}
			}
			if to == "" || !safeRel(name) {
				continue
			}
			var n int64
			if n, err = extract(tr, hdr, to); err != nil {
				break
			}
			total += n
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
		_, _ = io.Copy(io.Discard, pr)
		done <- err
	}()
	err := h.session(ctx, m, body, nil, pw)
	pw.Close()
	if xerr := <-done; err == nil {
		err = xerr
	}
	if err != nil {
		return total, fmt.Errorf("return %s: %w", strings.Join(files, " "), err)
	}
	return total, nil
}

// extract writes one tar entry to the local path to.
func extract(tr *tar.Reader, hdr *tar.Header, to string) (int64, error) {
	switch hdr.Typeflag {
	case tar.TypeDir:
		return 0, os.MkdirAll(to, 0o755)
	case tar.TypeSymlink:
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return 0, err
		}
		_ = os.Remove(to)
		return 0, os.Symlink(hdr.Linkname, to)
	case tar.TypeReg:
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return 0, err
		}
		f, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fs.FileMode(hdr.Mode)&0o777|0o200)
		if err != nil {
			return 0, err
		}
		n, err := io.Copy(f, tr)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil && !hdr.ModTime.IsZero() {
			_ = os.Chtimes(to, time.Now(), hdr.ModTime)
		}
		return n, err
	}
	return 0, nil
}

// remove deletes the workdir-relative paths remotely (--cleanup).
func (h *Host) remove(ctx context.Context, m *master, rels []string) {
	var q []string
	for _, r := range rels {
		if safeRel(r) {
			q = append(q, shQuote(r))
		}
	}
	if len(q) == 0 {
		return
	}
	body := h.c.workdirCmd() + "rm -rf -- " + strings.Join(q, " ")
	_ = h.session(ctx, m, body, nil, nil)
}

// cleanupRun removes the basefiles and the "..." workdir at Close.
func (h *Host) cleanupRun() {
	c := h.c
	c.mu.Lock()
	if h.state != up || h.Local() {
		c.mu.Unlock()
		return
	}
	gen := h.gen
	c.mu.Unlock()
	m := h.masterFor(0, gen)
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.ProbeTimeout)
	defer cancel()
	if len(c.cfg.Basefiles) > 0 {
		h.remove(ctx, m, remotePaths(c.cfg.Basefiles))
	}
	if c.cfg.Workdir == "..." {
		_ = h.session(ctx, m, "rm -rf -- "+shQuote(c.runDir), nil, nil)
	}
}
