//go:build unix

package remote

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopool/gopool/internal/remote/sshlab"
	"github.com/gopool/gopool/runner"
)

// TestMeasureRemote compares 120 `true` jobs on two loopback hosts with 2
// slots each: this package, the floor (xargs -P4 over ssh masters) and GNU
// parallel -S -M. It prints figures and asserts nothing about them; it
// runs only with GOPOOL_MEASURE_REMOTE=1:
//
//	GOPOOL_MEASURE_REMOTE=1 go test -run TestMeasureRemote -v ./internal/remote/
func TestMeasureRemote(t *testing.T) {
	if os.Getenv("GOPOOL_MEASURE_REMOTE") == "" {
		t.Skip("set GOPOOL_MEASURE_REMOTE=1 to measure")
	}
	const jobs = 120
	lab := sshlab.Start(t, sshlab.Options{Hosts: 2})
	rounds := 3

	gopool := func() time.Duration {
		c, _ := labCluster(t, lab, 2, Config{})
		// Wait for both hosts, as a run would before its first jobs.
		for _, h := range c.Hosts() {
			s, err := c.AcquireOn(context.Background(), h)
			if err != nil {
				t.Fatal(err)
			}
			s.Release()
		}
		start := time.Now()
		var wg sync.WaitGroup
		next := make(chan int)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range next {
					s, err := c.Acquire(context.Background(), nil)
					if err != nil {
						t.Error(err)
						return
					}
					p, err := s.Start(context.Background(), runner.Spec{Argv: []string{"true"}})
					if err != nil {
						t.Error(err)
						s.Release()
						return
					}
					if res := p.Wait(); res.Failed() {
						t.Errorf("job failed: %+v", res)
					}
					s.Release()
				}
			}()
		}
		for i := range jobs {
			next <- i
		}
		close(next)
		wg.Wait()
		d := time.Since(start)
		c.Close()
		return d
	}

	dir := t.TempDir()
	sshArgs := strings.Join(lab.SSH(), " ")
	floor := func() time.Duration {
		for _, h := range lab.Hosts {
			sock := filepath.Join(dir, h.Name+".sock")
			cmd := exec.Command("ssh", "-F", lab.ConfigFile, "-o", "ControlMaster=yes", "-o", "ControlPath="+sock, "-o", "ControlPersist=60", "-f", "-N", h.Name)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("master: %v: %s", err, out)
			}
		}
		defer func() {
			for _, h := range lab.Hosts {
				_ = exec.Command("ssh", "-F", lab.ConfigFile, "-o", "ControlPath="+filepath.Join(dir, h.Name+".sock"), "-O", "exit", h.Name).Run()
			}
		}()
		var in strings.Builder
		for i := range jobs {
			fmt.Fprintf(&in, "host%d\n", i%2+1)
		}
		start := time.Now()
		cmd := exec.Command("sh", "-c", "xargs -P4 -I{} "+sshArgs+" -S "+dir+"/{}.sock {} true")
		cmd.Stdin = strings.NewReader(in.String())
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xargs: %v: %s", err, out)
		}
		return time.Since(start)
	}

	gnu := func() time.Duration {
		if _, err := exec.LookPath("parallel"); err != nil {
			return 0
		}
		// GNU -M runs --ssh as one word: give it a wrapper script.
		wrapper := filepath.Join(dir, "sshf")
		if err := os.WriteFile(wrapper, []byte("#!/bin/sh\nexec "+sshArgs+" \"$@\"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		var args []string
		for i := range jobs {
			args = append(args, fmt.Sprint(i))
		}
		start := time.Now()
		cmd := exec.Command("parallel", append([]string{"--ssh", wrapper, "-S", "2/host1,2/host2", "-M", "true", ":::"}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("GNU parallel: %v: %s", err, out)
		}
		d := time.Since(start)
		// Not timed: check that GNU really ran every job.
		check := exec.Command("parallel", append([]string{"--ssh", wrapper, "-S", "2/host1,2/host2", "-M", "echo", ":::"}, args...)...)
		check.Env = cmd.Env
		out, _ := check.Output()
		if n := strings.Count(string(out), "\n"); n != jobs {
			t.Logf("GNU parallel ran %d of %d jobs", n, jobs)
		}
		return d
	}

	var g, f, p []time.Duration
	for range rounds {
		g = append(g, gopool())
		f = append(f, floor())
		p = append(p, gnu())
	}
	t.Logf("%d true jobs, 2 hosts x 2 slots, %d rounds:", jobs, rounds)
	t.Logf("  remote package: %v", g)
	t.Logf("  xargs -P4 ssh -S master (floor): %v", f)
	t.Logf("  GNU parallel -S -M: %v", p)
}
