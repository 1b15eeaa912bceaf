package runner

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// commandError is a failure to run a command: `"name": what`. It wraps the
// underlying error (exec.ErrNotFound, fs.ErrPermission, syscall.E2BIG...).
type commandError struct {
	name     string
	what     string
	notFound bool // exit 127 rather than 126
	err      error
}

func (e *commandError) Error() string {
	if e.name == "" {
		return e.what
	}
	return quoteName(e.name) + ": " + e.what
}

func (e *commandError) Unwrap() error { return e.err }

// maxNameLen bounds how much of a command name an error message quotes.
const maxNameLen = 80

// quoteName quotes a command name for a message, shortened if it is huge.
func quoteName(name string) string {
	if len(name) > maxNameLen {
		return strconv.Quote(name[:maxNameLen]) + "..."
	}
	return strconv.Quote(name)
}

// classify turns an error from looking up or starting name into a
// commandError.
func classify(name string, err error) error {
	what, notFound := "", false
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		what, notFound = "command not found", true
	case errors.Is(err, fs.ErrPermission):
		what = "permission denied"
	case errors.Is(err, syscall.EISDIR):
		what = "is a directory"
	default:
		what = "cannot execute: " + rootCause(err).Error()
	}
	return &commandError{name: name, what: what, notFound: notFound, err: err}
}

// rootCause strips os and exec wrappers that repeat the command name.
func rootCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var ee *exec.Error
	if errors.As(err, &ee) {
		return ee.Err
	}
	return err
}

// startError describes a failure to start spec: path is the executable
// that was tried. The checks beyond errno (directory, interpreter) only
// run on this failure path.
func startError(spec Spec, path string, err error) error {
	name := spec.Argv[0]
	switch {
	case errors.Is(err, syscall.E2BIG):
		return &commandError{
			name: name,
			what: fmt.Sprintf("argument list too long (%d bytes)", argSize(spec)),
			err:  err,
		}
	case spec.Dir != "" && !isDir(spec.Dir):
		_, statErr := os.Stat(spec.Dir)
		if statErr == nil {
			statErr = syscall.ENOTDIR
		}
		return &commandError{name: name, what: fmt.Sprintf("chdir %q: %v", spec.Dir, rootCause(statErr)), err: statErr}
	case errors.Is(err, fs.ErrPermission) && isDir(inDir(spec.Dir, path)):
		return &commandError{name: name, what: "is a directory", err: syscall.EISDIR}
	case errors.Is(err, fs.ErrNotExist) && fileExists(inDir(spec.Dir, path)):
		// execve says ENOENT about a file that is there: its #!
		// interpreter or dynamic loader is missing (bash says 126 too).
		return &commandError{
			name: name,
			what: "bad interpreter or loader: no such file or directory",
			err:  err,
		}
	}
	return classify(name, err)
}

// argSize is what argv and the environment of spec take in bytes, counted
// as execve does (each string with its NUL).
func argSize(spec Spec) int {
	env := spec.Env
	if env == nil {
		env = os.Environ()
	}
	n := 0
	for _, s := range spec.Argv {
		n += len(s) + 1
	}
	for _, s := range env {
		n += len(s) + 1
	}
	return n
}

func isDir(dir string) bool {
	fi, err := os.Stat(dir)
	return err == nil && fi.IsDir()
}

// inDir returns path as the child sees it: relative to dir, if set.
func inDir(dir, path string) string {
	if dir != "" && !filepath.IsAbs(path) {
		return filepath.Join(dir, path)
	}
	return path
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Resolver looks executables up in PATH once and remembers the answer. The
// zero value is ready to use and safe for concurrent use. Failures are
// remembered too: a command installed during a run is not seen.
type Resolver struct {
	cache sync.Map // name -> lookup
}

// lookup is one remembered answer of Resolver.Look.
type lookup struct {
	path string
	err  error
}

// Look returns the path of the executable name (LookPath semantics: a name
// with a slash is used as it is). Errors say "command not found" or
// "permission denied" and name the command.
//
// A name with a slash is returned unchecked: Run reports a missing or
// non-executable file when it starts it.
func (r *Resolver) Look(name string) (string, error) {
	if strings.ContainsAny(name, pathSeparators) {
		return name, nil
	}
	if v, ok := r.cache.Load(name); ok {
		l := v.(lookup)
		return l.path, l.err
	}
	path, err := exec.LookPath(name)
	if errors.Is(err, exec.ErrDot) {
		err = nil
	}
	if err != nil {
		path = ""
		err = classify(name, err)
	}
	r.cache.Store(name, lookup{path: path, err: err})
	return path, err
}
