package cmd

import (
	"fmt"
	"strconv"
	"strings"
)

// haltWhen is when --halt stops the run.
type haltWhen int

const (
	haltNever haltWhen = iota
	haltSoon           // start nothing new; running jobs finish
	haltNow            // also stop the running jobs with the termseq
)

// haltKind is what --halt counts.
type haltKind int

const (
	haltFail    haltKind = iota // failed jobs
	haltSuccess                 // jobs that succeeded
	haltDone                    // finished jobs, either way
)

// haltPolicy is a parsed --halt: stop When once N jobs of Kind (or N% of
// the jobs read so far, with Pct) have finished.
type haltPolicy struct {
	when haltWhen
	kind haltKind
	n    int
	pct  bool
}

// String renders the policy as --halt reads it.
func (h haltPolicy) String() string {
	if h.when == haltNever {
		return "never"
	}
	when := map[haltWhen]string{haltSoon: "soon", haltNow: "now"}[h.when]
	kind := map[haltKind]string{haltFail: "fail", haltSuccess: "success", haltDone: "done"}[h.kind]
	pct := ""
	if h.pct {
		pct = "%"
	}
	return fmt.Sprintf("%s,%s=%d%s", when, kind, h.n, pct)
}

// parseHalt reads --halt: never, soon|now,fail|success|done=N or N%, and
// GNU parallel's short forms 0 (never), 1 (soon,fail=1), 2 (now,fail=1),
// -1 (soon,success=1), -2 (now,success=1) and N% (soon,fail=N%).
func parseHalt(v string) (haltPolicy, error) {
	short := map[string]string{"": "never", "0": "never", "1": "soon,fail=1", "2": "now,fail=1",
		"-1": "soon,success=1", "-2": "now,success=1"}
	if s, ok := short[v]; ok {
		v = s
	} else if p, ok := strings.CutSuffix(v, "%"); ok && !strings.ContainsAny(p, ",=") {
		v = "soon,fail=" + v
	}
	bad := func(why string) (haltPolicy, error) {
		return haltPolicy{}, fmt.Errorf("bad --halt %q: %s", v, why)
	}
	if v == "never" {
		return haltPolicy{}, nil
	}
	whenS, rest, ok := strings.Cut(v, ",")
	var h haltPolicy
	switch whenS {
	case "soon":
		h.when = haltSoon
	case "now":
		h.when = haltNow
	default:
		return bad("want never, soon,... or now,...")
	}
	kindS, nS, ok2 := strings.Cut(rest, "=")
	if !ok || !ok2 {
		return bad("want soon|now,fail|success|done=N or N%")
	}
	switch kindS {
	case "fail":
		h.kind = haltFail
	case "success":
		h.kind = haltSuccess
	case "done":
		h.kind = haltDone
	default:
		return bad("want fail=, success= or done=")
	}
	nS, h.pct = strings.CutSuffix(nS, "%")
	n, err := strconv.Atoi(nS)
	if err != nil || n < 1 || (h.pct && n > 100) {
		return bad("N must be a whole number of at least 1 (a percentage: 1% to 100%)")
	}
	h.n = n
	return h, nil
}

// reached reports whether count jobs of the policy's kind trigger the
// halt, out of total jobs read so far.
func (h haltPolicy) reached(count, total int64) bool {
	if h.pct {
		return count > 0 && count*100 >= int64(h.n)*total
	}
	return count >= int64(h.n)
}
