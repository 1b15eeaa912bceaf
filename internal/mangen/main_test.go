package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// manDir is the committed pages, relative to this package.
const manDir = "../../docs/man"

// TestManPagesUpToDate fails when docs/man differs from what the command
// tree generates. The pages' own date is kept: only content counts.
func TestManPagesUpToDate(t *testing.T) {
	date, ok := pageDate(manDir)
	if !ok {
		t.Fatalf("%s/gopool.1 is missing or has no date; run: go run ./internal/mangen", manDir)
	}
	want, err := pages(date)
	if err != nil {
		t.Fatal(err)
	}
	stale, err := diff(manDir, want)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) > 0 {
		t.Errorf("stale man pages in docs/man: %s; run: go run ./internal/mangen", strings.Join(stale, ", "))
	}
}

// TestPagesContent checks that the pages cover every command and carry
// what cobra's help cannot: exit status and environment.
func TestPagesContent(t *testing.T) {
	got, err := pages(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gopool.1", "gopool-map.1", "gopool-submit.1", "gopool-version.1", "gopool-completion.1", "gopool-completion-bash.1"} {
		if _, ok := got[name]; !ok {
			t.Errorf("no page %s; got %v", name, slices.Sorted(maps.Keys(got)))
		}
	}
	root := string(got["gopool.1"])
	for _, want := range []string{`.TH "GOPOOL" "1" "Jan 2026" "gopool" "gopool manual"`, ".SH EXIT STATUS", ".B GOPOOL_JOBS", ".B NO_COLOR", ".SH SEE ALSO", `\fBgopool-map(1)\fP`, `\fBxargs(1)\fP`} {
		if !strings.Contains(root, want) {
			t.Errorf("gopool.1 does not contain %q", want)
		}
	}
	if i, j := strings.Index(root, ".SH EXIT STATUS"), strings.Index(root, ".SH SEE ALSO"); i > j {
		t.Errorf("EXIT STATUS at %d comes after SEE ALSO at %d", i, j)
	}
	if m := got["gopool-map.1"]; !bytes.Contains(m, []byte(`\fB--jobs\fP`)) {
		t.Errorf("gopool-map.1 does not document --jobs")
	}
}

// TestWriteKeepsDate checks that regenerating unchanged pages writes
// nothing, and that a change rewrites them with the new date and removes
// pages of commands that are gone.
func TestWriteKeepsDate(t *testing.T) {
	dir := t.TempDir()
	first := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	changed, err := write(dir, first)
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) == 0 {
		t.Fatal("first run wrote no page")
	}
	later := time.Date(2027, 3, 4, 0, 0, 0, 0, time.UTC)
	if changed, err = write(dir, later); err != nil || len(changed) != 0 {
		t.Fatalf("second run on unchanged pages: got changed %v, err %v; want none", changed, err)
	}
	if d, _ := pageDate(dir); !d.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got date %v after an unchanged run, want January 2026", d)
	}
	gone := filepath.Join(dir, "gopool-gone.1")
	if err := os.WriteFile(gone, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if changed, err = write(dir, later); err != nil || !slices.Contains(changed, "gopool-gone.1") {
		t.Fatalf("run with a stale page: got changed %v, err %v; want gopool-gone.1 among them", changed, err)
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("stale page still there: %v", err)
	}
	if d, _ := pageDate(dir); !d.Equal(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got date %v after a change, want March 2027", d)
	}
}
