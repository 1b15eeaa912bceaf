//go:build unix

package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// junitSchema is the JUnit schema the reports must validate against.
const junitSchema = "internal/report/testdata/junit.xsd"

// The JUnit report as encoding/xml reads it.
type junitSuites struct {
	XMLName xml.Name `xml:"testsuites"`
	junitCounts
	Suites []junitSuite `xml:"testsuite"`
}

type junitCounts struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
}

type junitSuite struct {
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitOutcome `xml:"failure"`
	Error     *junitOutcome `xml:"error"`
	Skipped   *junitOutcome `xml:"skipped"`
	SystemOut *string       `xml:"system-out"`
	SystemErr *string       `xml:"system-err"`
}

type junitOutcome struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

var seconds = regexp.MustCompile(`^[0-9]+\.[0-9]{3}$`)

// cmdJUnit is the script command
//
//	junit FILE WANT
//
// It checks that FILE is a whole JUnit report: it validates against
// internal/report/testdata/junit.xsd (with xmllint, when installed), its
// counts match its cases, and its cases, read with encoding/xml and
// written one field a line (times left out), are the text of WANT.
func cmdJUnit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: junit FILE WANT")
	}
	file := ts.MkAbs(args[0])
	if xmllint, err := exec.LookPath("xmllint"); err == nil {
		schema, err := filepath.Abs(junitSchema)
		ts.Check(err)
		out, err := exec.Command(xmllint, "--noout", "--schema", schema, file).CombinedOutput()
		if err != nil {
			ts.Fatalf("xmllint %s: %v\n%s", args[0], err, out)
		}
	} else {
		ts.Logf("xmllint not found (Debian: libxml2-utils): %s not validated against the schema", args[0])
	}
	data, err := os.ReadFile(file)
	ts.Check(err)
	var s junitSuites
	if err := xml.Unmarshal(data, &s); err != nil {
		ts.Fatalf("parse %s: %v", args[0], err)
	}
	got, err := describeJUnit(s)
	if err != nil {
		ts.Fatalf("%s: %v\n%s", args[0], err, data)
	}
	if want := ts.ReadFile(args[1]); got != want {
		ts.Fatalf("%s: got\n%s\nwant (%s)\n%s", args[0], got, args[1], want)
	}
}

// describeJUnit writes the cases of a report one field a line, and
// checks its counts and times.
func describeJUnit(s junitSuites) (string, error) {
	if len(s.Suites) != 1 {
		return "", fmt.Errorf("got %d testsuites, want 1", len(s.Suites))
	}
	suite := s.Suites[0]
	var counts junitCounts
	var b strings.Builder
	fmt.Fprintf(&b, "tests=%d failures=%d errors=%d skipped=%d\n", suite.Tests, suite.Failures, suite.Errors, suite.Skipped)
	if !seconds.MatchString(suite.Time) {
		return "", fmt.Errorf("testsuite time %q, want seconds like 1.250", suite.Time)
	}
	for _, c := range suite.Cases {
		counts.Tests++
		if !seconds.MatchString(c.Time) {
			return "", fmt.Errorf("testcase %q: time %q, want seconds like 1.250", c.Name, c.Time)
		}
		fmt.Fprintf(&b, "testcase %q classname %q\n", c.Name, c.Classname)
		outcome := func(elem string, o *junitOutcome) {
			fmt.Fprintf(&b, "  %s type=%q message=%q\n", elem, o.Type, o.Message)
			if o.Text != "" {
				fmt.Fprintf(&b, "    %s\n", strconv.QuoteToASCII(o.Text))
			}
		}
		switch {
		case c.Failure != nil:
			counts.Failures++
			outcome("failure", c.Failure)
		case c.Error != nil:
			counts.Errors++
			outcome("error", c.Error)
		case c.Skipped != nil:
			counts.Skipped++
			outcome("skipped", c.Skipped)
		default:
			b.WriteString("  passed\n")
		}
		if c.SystemOut != nil {
			fmt.Fprintf(&b, "  system-out %s\n", strconv.QuoteToASCII(*c.SystemOut))
		}
		if c.SystemErr != nil {
			fmt.Fprintf(&b, "  system-err %s\n", strconv.QuoteToASCII(*c.SystemErr))
		}
	}
	suiteCounts := junitCounts{suite.Tests, suite.Failures, suite.Errors, suite.Skipped}
	if suiteCounts != counts || s.junitCounts != counts {
		return "", fmt.Errorf("got counts %+v (testsuites %+v), want %+v from the cases", suiteCounts, s.junitCounts, counts)
	}
	return b.String(), nil
}
