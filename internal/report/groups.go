package report

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Groups is a CI system whose log folds each job's output block
// (--ci-groups).
type Groups int

const (
	// GroupsNone writes no markers.
	GroupsNone Groups = iota
	// GroupsGitHub writes GitHub Actions workflow commands: ::group:: and
	// ::endgroup::, and ::error:: for a failed job.
	GroupsGitHub
	// GroupsGitLab writes GitLab CI section markers.
	GroupsGitLab
)

// ParseGroups reads --ci-groups: github, gitlab or none.
func ParseGroups(s string) (Groups, error) {
	switch s {
	case "github":
		return GroupsGitHub, nil
	case "gitlab":
		return GroupsGitLab, nil
	case "none":
		return GroupsNone, nil
	}
	return GroupsNone, fmt.Errorf("bad --ci-groups %q: want github, gitlab or none", s)
}

// DefaultGroups is --ci-groups when it is not given: github when
// GITHUB_ACTIONS=true, gitlab when GITLAB_CI=true, else none. getenv is
// os.Getenv, or a fake in tests.
func DefaultGroups(getenv func(string) string) Groups {
	switch {
	case getenv("GITHUB_ACTIONS") == "true":
		return GroupsGitHub
	case getenv("GITLAB_CI") == "true":
		return GroupsGitLab
	}
	return GroupsNone
}

// String is the flag value: "github", "gitlab" or "none".
func (g Groups) String() string {
	switch g {
	case GroupsGitHub:
		return "github"
	case GroupsGitLab:
		return "gitlab"
	}
	return "none"
}

// maxTitle bounds a group's title, in runes.
const maxTitle = 120

// Folder writes the fold markers of one CI system around job output
// blocks. Folds may not nest: Begin a job's fold, print its block, End it,
// then the next job. A Folder is safe for use by one goroutine at a time.
//
// GitHub Actions (the markers of a failed job 3 titled "a b"):
//
//	::group::a b
//	::stop-commands::TOKEN
//	... the job's stdout and stderr ...
//	::TOKEN::
//	::endgroup::
//	::error::job 3 (a b) failed: exit code 2
//
// ::stop-commands:: with a random TOKEN, GitHub's documented way to log
// untrusted text, keeps a job whose output says ::endgroup:: (or ::error::,
// ::add-mask::, ...) from breaking the fold or issuing commands; the
// runner keeps one command state for a step, so it covers the job's
// stderr as well as its stdout. The ::error:: line comes after the fold so
// that it shows while the fold is closed, and makes an annotation.
//
// GitLab CI: section markers named gopool-job-SEQ (letters, digits and -
// only, as GitLab wants) with the job's start and end as UNIX times, so
// GitLab shows the job's duration on the fold. A failed job's section is
// open (collapsed=false) and followed by a red line saying how it failed;
// the others are collapsed:
//
//	ESC[0Ksection_start:1700000000:gopool-job-3[collapsed=false]\rESC[0Ka b
//	... the job's stdout and stderr ...
//	ESC[0Ksection_end:1700000002:gopool-job-3\rESC[0K
//	ESC[31;1mjob 3 (a b) failed: exit code 2ESC[0m
//
// GitLab has no stop-commands: a job that prints section markers of its
// own gets sections nested in its fold; only a marker that names
// gopool-job-SEQ of this very job could close the fold early.
//
// Titles are Job.Name (else "job SEQ") on one line: control characters as
// Go escapes, at most 120 runes. On GitHub "%", CR and LF in the text of a
// command are escaped as %25, %0D and %0A, as workflow commands require.
//
// Each marker must start a line: print the job's output through LineEnd
// writers and call Terminate on them before End.
type Folder struct {
	kind Groups
	// token returns a new stop-commands token; tests make it fixed.
	token func() string
	// now is the clock for a job that has no start time.
	now func() time.Time
}

// NewFolder returns a Folder for a CI system; GroupsNone gives a Folder
// that writes nothing.
func NewFolder(kind Groups) *Folder {
	return &Folder{kind: kind, token: randomToken, now: time.Now}
}

// randomToken is 26 random letters and digits (from the runtime's
// ChaCha8 generator, seeded by the OS: a job cannot guess it).
func randomToken() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, 26)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

// Fold is one job's open fold, from Begin to End.
type Fold struct {
	f     *Folder
	j     Job // the job's fields without its streams
	title string
	token string
}

// Begin writes the markers that open j's fold to w.
func (f *Folder) Begin(w io.Writer, j *Job) (*Fold, error) {
	fd := &Fold{f: f, j: *j, title: oneLine(j.title(), maxTitle)}
	fd.j.Stdout, fd.j.Stderr = nil, nil
	var s string
	switch f.kind {
	case GroupsGitHub:
		fd.token = f.token()
		s = "::group::" + escapeData(fd.title) + "\n::stop-commands::" + fd.token + "\n"
	case GroupsGitLab:
		collapsed := strconv.FormatBool(fd.j.Status() != Failed)
		s = "\x1b[0Ksection_start:" + unixTime(fd.start()) + ":" + fd.sectionName() +
			"[collapsed=" + collapsed + "]\r\x1b[0K" + fd.title + "\n"
	}
	if s == "" {
		return fd, nil
	}
	_, err := io.WriteString(w, s)
	return fd, err
}

// End writes the markers that close the fold to w, and for a failed job
// the line that marks it.
func (fd *Fold) End(w io.Writer) error {
	var b strings.Builder
	failed := fd.j.Status() == Failed
	switch fd.f.kind {
	case GroupsGitHub:
		b.WriteString("::" + fd.token + "::\n::endgroup::\n")
		if failed {
			b.WriteString("::error::" + escapeData(fd.failure()) + "\n")
		}
	case GroupsGitLab:
		b.WriteString("\x1b[0Ksection_end:" + unixTime(fd.start().Add(max(fd.j.Duration, 0))) + ":" +
			fd.sectionName() + "\r\x1b[0K\n")
		if failed {
			b.WriteString("\x1b[31;1m" + fd.failure() + "\x1b[0m\n")
		}
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// failure is "job 3 (TITLE) failed: exit code 2", on one line.
func (fd *Fold) failure() string {
	return fmt.Sprintf("job %d (%s) failed: %s", fd.j.Seq, fd.title, oneLine(fd.j.Result(), maxTitle))
}

func (fd *Fold) start() time.Time {
	if fd.j.Start.IsZero() {
		return fd.f.now()
	}
	return fd.j.Start
}

// sectionName is the GitLab section's name: it must match
// [A-Za-z0-9_.-]+, and the job number is unique in a run.
func (fd *Fold) sectionName() string {
	return "gopool-job-" + strconv.FormatInt(max(fd.j.Seq, 0), 10)
}

func unixTime(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// escapeData escapes the text of a GitHub workflow command: % as %25, CR
// as %0D, LF as %0A.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// LineEnd passes writes on to a writer and remembers whether the last
// byte written was a newline, so that a fold's end marker can start a
// line. It is safe for use by one goroutine at a time.
type LineEnd struct {
	w   io.Writer
	mid bool // the last byte written was not a newline
}

// NewLineEnd returns a LineEnd that writes to w.
func NewLineEnd(w io.Writer) *LineEnd { return &LineEnd{w: w} }

// Write writes p to the underlying writer.
func (l *LineEnd) Write(p []byte) (int, error) {
	n, err := l.w.Write(p)
	if n > 0 {
		l.mid = p[n-1] != '\n'
	}
	return n, err
}

// Terminate writes a newline if the last byte written was not one.
func (l *LineEnd) Terminate() error {
	if !l.mid {
		return nil
	}
	_, err := l.w.Write([]byte{'\n'})
	if err == nil {
		l.mid = false
	}
	return err
}
