package remote

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// rsyncFlags are GNU parallel's (-rlDzR) plus --protect-args, so that no
// remote shell parses a path.
var rsyncFlags = []string{"-rlDzR", "--protect-args", "--stats"}

// useRsync reports whether transfers to h go through rsync: both ends
// have it, and the ssh command can be given to rsync's -e.
func (h *Host) useRsync() bool {
	c := h.c
	if c.noRsync {
		return false
	}
	c.mu.Lock()
	remote := h.info.rsync
	c.mu.Unlock()
	if !remote {
		return false
	}
	if _, err := exec.LookPath("rsync"); err != nil {
		return false
	}
	for _, w := range c.ssh {
		if strings.ContainsAny(w, `'"\`) {
			return false
		}
	}
	return true
}

// rsyncShell is the ssh command for rsync's -e: rsync splits it again, so
// each word is single-quoted (words with quotes go the tar way).
func (h *Host) rsyncShell(m *master) string {
	args := h.sshArgs(m, "")
	args = args[:len(args)-2] // rsync adds the host and its command
	var q []string
	for _, a := range args {
		q = append(q, "'"+a+"'")
	}
	return strings.Join(q, " ")
}

// rsyncTarget is host:DIR for rsync (the workdir, or home).
func (h *Host) rsyncTarget(dir string) string {
	return h.login.Host + ":" + dir
}

// rsyncSend sends files with rsync and returns the bytes of file data
// sent.
func (h *Host) rsyncSend(ctx context.Context, m *master, files []string) (int64, error) {
	wd := h.c.workdir()
	if wd != "" {
		if err := h.session(ctx, m, "mkdir -p -- "+shQuote(wd), nil, nil); err != nil {
			return 0, fmt.Errorf("send: workdir: %w", err)
		}
	}
	dest := wd
	if dest != "" && !strings.HasSuffix(dest, "/") {
		dest += "/"
	}
	args := append(append([]string(nil), rsyncFlags...), "-e", h.rsyncShell(m), "--")
	args = append(args, files...)
	args = append(args, h.rsyncTarget(dest))
	return h.runRsync(ctx, args, "send")
}

// rsyncReceive brings files back with rsync, one call per local base
// directory.
func (h *Host) rsyncReceive(ctx context.Context, m *master, files []string) (int64, error) {
	wd := h.c.workdir()
	prefix := "./"
	if wd != "" {
		prefix = strings.TrimSuffix(wd, "/") + "/./"
	}
	byBase := map[string][]string{}
	var order []string
	for _, f := range files {
		base, rel := splitDotSlash(f)
		if !safeRel(rel) {
			return 0, fmt.Errorf("return %q: path leaves the workdir", f)
		}
		if _, ok := byBase[base]; !ok {
			order = append(order, base)
		}
		byBase[base] = append(byBase[base], rel)
	}
	var total int64
	for _, base := range order {
		args := append(append([]string(nil), rsyncFlags...), "-e", h.rsyncShell(m), "--")
		for _, rel := range byBase[base] {
			args = append(args, h.rsyncTarget(prefix+rel))
		}
		args = append(args, strings.TrimSuffix(base, "/")+"/")
		n, err := h.runRsync(ctx, args, "return")
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// runRsync runs rsync and reads the bytes moved from its --stats.
func (h *Host) runRsync(ctx context.Context, args []string, what string) (int64, error) {
	cmd := exec.CommandContext(ctx, "rsync", args...)
	cmd.SysProcAttr = sshSysProcAttr()
	var out bytes.Buffer
	var errBuf tailBuffer
	cmd.Stdout, cmd.Stderr = &out, &errBuf
	err := cmd.Run()
	n := statsBytes(out.Bytes())
	if err != nil {
		// 23/24: some files were missing or vanished; the rest moved.
		if ee, ok := err.(*exec.ExitError); ok && (ee.ExitCode() == 23 || ee.ExitCode() == 24) && what == "return" {
			return n, nil
		}
		return n, fmt.Errorf("%s: rsync: %w: %s", what, err, lastLine(errBuf.bytes()))
	}
	return n, nil
}

// statsBytes reads "Total transferred file size: N bytes" from rsync's
// --stats.
func statsBytes(out []byte) int64 {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "Total transferred file size:"); ok {
			v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "bytes"))
			n, _ := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(v, ",", ""), ".", ""), 10, 64)
			return n
		}
	}
	return 0
}
