package cmd

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/gopool/gopool/internal/tmpl"
)

// resultsSpec is a parsed --results NAME, in one of GNU parallel's forms:
//
//   - NAME.csv, NAME.tsv, NAME.json: one file, a row per job with its
//     output (-.csv and the others: stdout);
//   - NAME with replacement strings: each job's stdout in the file it
//     names, stderr in NAME.err, the job number in NAME.seq; a NAME that
//     ends in / is a directory holding stdout, stderr and seq;
//   - NAME, a plain directory: NAME/1/VALUE1/2/VALUE2/{stdout,stderr,seq},
//     the values of the job's arguments (with --header, the columns'
//     names instead of 1, 2).
type resultsSpec struct {
	table  string // the file of the table form, "-" for stdout; "" for the others
	format string // csv, tsv or json
	dir    string // the plain directory form
	name   *tmpl.Template
	// names are the --header names of the columns, set once the input's
	// header is read; nil without --header.
	names []string
}

// parseResults reads --results NAME with the template options opt.
func parseResults(name string, opt tmpl.Options) (*resultsSpec, error) {
	for _, f := range []string{"csv", "tsv", "json"} {
		if strings.HasSuffix(name, "."+f) {
			r := &resultsSpec{table: name, format: f}
			if name == "-."+f {
				r.table = "-"
			}
			return r, nil
		}
	}
	t, err := tmpl.ParseString(name, opt)
	if err != nil {
		return nil, err
	}
	if t.Literal() {
		return &resultsSpec{dir: name}, nil
	}
	return &resultsSpec{name: t}, nil
}

// paths are the files of j's stdout, stderr and job number.
func (r *resultsSpec) paths(j *job) [3]string {
	if r.name != nil {
		p := r.name.ExpandString(j.args, j.seq, j.slot)
		if strings.HasSuffix(p, "/") {
			return [3]string{p + "stdout", p + "stderr", p + "seq"}
		}
		return [3]string{p, p + ".err", p + ".seq"}
	}
	d := filepath.Join(r.dir, r.argsDir(j.args))
	return [3]string{filepath.Join(d, "stdout"), filepath.Join(d, "stderr"), filepath.Join(d, "seq")}
}

// argsDir is GNU parallel's directory of a job's arguments: the name of
// each column (its number without --header), then its value, ordered by
// name (numbers first, by value). In a value \ is \\, TAB \t, NUL \0 and
// / \_; a value that is . or .. becomes \. or \.\. (GNU parallel lets
// those leave the directory); each part is cut to 255 bytes.
func (r *resultsSpec) argsDir(args []string) string {
	type col struct {
		name, value string
	}
	cols := make([]col, len(args))
	for i, a := range args {
		name := strconv.Itoa(i + 1)
		if i < len(r.names) && r.names[i] != "" {
			name = r.names[i]
		}
		cols[i] = col{name, a}
	}
	sort.SliceStable(cols, func(a, b int) bool {
		na, nb := perlNumber(cols[a].name), perlNumber(cols[b].name)
		if na != nb {
			return na < nb
		}
		return cols[a].name < cols[b].name
	})
	parts := make([]string, 0, 2*len(cols))
	for _, c := range cols {
		parts = append(parts, dirPart(c.name), dirPart(c.value))
	}
	return filepath.Join(parts...)
}

// dirPart quotes a value for one element of a path.
func dirPart(v string) string {
	v = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\x00", `\0`, "/", `\_`).Replace(v)
	switch v {
	case ".":
		return `\.`
	case "..":
		return `\.\.`
	}
	if len(v) > 255 {
		v = v[:255]
	}
	return v
}

// perlNumber is the number Perl reads at the start of s (0 for none), as
// GNU parallel sorts the header names.
func perlNumber(s string) float64 {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || end == 0 && (s[0] == '-' || s[0] == '+')) {
		end++
	}
	for end > 0 {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil {
			return f
		}
		end--
	}
	return 0
}

// row renders j as a row of the table form, with the header row first when
// header is set.
func (r *resultsSpec) row(j *job, command string, header bool) (string, error) {
	stdout, err := contentString(j.out.stdout)
	if err != nil {
		return "", err
	}
	stderr, err := contentString(j.out.stderr)
	if err != nil {
		return "", err
	}
	start := fmt.Sprintf("%.3f", float64(j.res.Start.UnixMilli())/1000)
	runtime := fmt.Sprintf("%.3f", j.res.Duration.Seconds())
	received := strconv.FormatInt(int64(len(stdout)+len(stderr)), 10)
	exit, sig := strconv.Itoa(joblogExit(j.res)), strconv.Itoa(int(j.res.Signal))
	seq := strconv.FormatInt(j.seq, 10)
	var b strings.Builder
	if r.format == "json" {
		fmt.Fprintf(&b, `{ "Seq": %s, "Host": ":", "Starttime": %s, "JobRuntime": %s, "Send": 0, "Receive": %s, "Exitval": %s, "Signal": %s, "Command": "%s", "V": [ `,
			seq, start, runtime, received, exit, sig, jsonQuote(command))
		for i, a := range j.args {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + jsonQuote(a) + `"`)
		}
		fmt.Fprintf(&b, ` ], "Stdout": "%s", "Stderr": "%s" }`+"\n", jsonQuote(stdout), jsonQuote(stderr))
		return b.String(), nil
	}
	sep := ","
	if r.format == "tsv" {
		sep = "\t"
	}
	line := func(fields []string) {
		for i, f := range fields {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(csvField(f, sep))
		}
		b.WriteByte('\n')
	}
	if header {
		h := []string{"Seq", "Host", "Starttime", "JobRuntime", "Send", "Receive", "Exitval", "Signal", "Command"}
		for i := range j.args {
			name := "V" + strconv.Itoa(i+1)
			if i < len(r.names) {
				name = r.names[i]
			}
			h = append(h, name)
		}
		line(append(h, "Stdout", "Stderr"))
	}
	fields := []string{seq, ":", start, runtime, "0", received, exit, sig, command}
	line(append(append(fields, j.args...), stdout, stderr))
	return b.String(), nil
}

// csvField quotes a field as GNU parallel does: in double quotes, with
// each " doubled, when it holds a ", white space, the separator or a NUL.
func csvField(f, sep string) string {
	if !strings.ContainsAny(f, "\" \t\n\r\f\v\x00"+sep) {
		return f
	}
	return `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
}

// jsonQuote escapes a string for GNU parallel's JSON: \ and ", and the
// control bytes as \u00XX; other bytes pass as they are.
func jsonQuote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
