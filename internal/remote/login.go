package remote

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mattn/go-shellwords"
)

// Login is one parsed --sshlogin: where to log in and how many jobs to run
// there at once.
type Login struct {
	// Raw is the login as the user wrote it, without the "N/" prefix, e.g.
	// "alice@node1:2222" or ":". It names the host in the joblog and in
	// GOPOOL_SSHLOGIN.
	Raw string
	// User is the login name; empty means ssh's default.
	User string
	// Host is the host name or address given to ssh; ":" for the local
	// machine.
	Host string
	// Port is the port; 0 means ssh's default.
	Port int
	// Slots is the number of jobs to run at once, from "N/"; 0 means
	// decided from -j and the host's cores.
	Slots int
}

// Local reports whether l is the local machine (":").
func (l Login) Local() bool { return l.Host == ":" }

// ParseLogins reads one -S/--sshlogin value: comma-separated logins of the
// form [N/][user@]host[:port], where `\,` or `,,` is a literal comma, host
// may hold ranges such as node[1-4,7] (each expanding to one login), an
// IPv6 address goes in brackets when it has a port ([::1]:2222), and ":"
// is the local machine. Empty elements are skipped.
func ParseLogins(s string) ([]Login, error) {
	var out []Login
	for _, item := range splitLogins(s) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		logins, err := parseLogin(item)
		if err != nil {
			return nil, fmt.Errorf("bad --sshlogin %q: %w", item, err)
		}
		out = append(out, logins...)
	}
	return out, nil
}

// ParseLoginFile reads an --slf file: one -S value a line, blank lines
// and lines starting with # ignored. Errors name the line.
func ParseLoginFile(r io.Reader) ([]Login, error) {
	var out []Login
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		logins, err := ParseLogins(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, logins...)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read login file: %w", err)
	}
	return out, nil
}

// splitLogins splits s on commas that are not escaped as `\,` or `,,`, and
// not inside a host range's brackets.
func splitLogins(s string) []string {
	var items []string
	var cur strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && s[i+1] == ',':
			cur.WriteByte(',')
			i++
		case c == ',' && depth == 0 && i+1 < len(s) && s[i+1] == ',':
			cur.WriteByte(',')
			i++
		case c == ',' && depth == 0:
			items = append(items, cur.String())
			cur.Reset()
		default:
			switch c {
			case '[':
				depth++
			case ']':
				if depth > 0 {
					depth--
				}
			}
			cur.WriteByte(c)
		}
	}
	return append(items, cur.String())
}

// parseLogin reads one [N/][user@]host[:port], expanding host ranges.
func parseLogin(item string) ([]Login, error) {
	slots := 0
	if i := strings.IndexByte(item, '/'); i >= 0 {
		n, err := strconv.Atoi(item[:i])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("slots %q: want a positive number before /", item[:i])
		}
		slots, item = n, item[i+1:]
	}
	if strings.ContainsAny(item, " \t\n") {
		return nil, errors.New("a login has no spaces (put ssh options in --ssh or ~/.ssh/config)")
	}
	if item == ":" {
		return []Login{{Raw: ":", Host: ":", Slots: slots}}, nil
	}
	user := ""
	if i := strings.LastIndexByte(item, '@'); i >= 0 {
		user, item = item[:i], item[i+1:]
		if user == "" {
			return nil, errors.New("empty user name")
		}
	}
	host, port, err := splitHostPort(item)
	if err != nil {
		return nil, err
	}
	hosts, err := expandRange(host)
	if err != nil {
		return nil, err
	}
	out := make([]Login, 0, len(hosts))
	for _, h := range hosts {
		if h == "" {
			return nil, errors.New("empty host name")
		}
		if h[0] == '-' {
			return nil, fmt.Errorf("host %q starts with -", h)
		}
		l := Login{User: user, Host: h, Port: port, Slots: slots}
		l.Raw = l.format()
		out = append(out, l)
	}
	return out, nil
}

// format writes l back as [user@]host[:port], an IPv6 address in brackets
// when it has a port.
func (l Login) format() string {
	s := l.Host
	if l.Port != 0 {
		if strings.Contains(s, ":") {
			s = "[" + s + "]"
		}
		s += ":" + strconv.Itoa(l.Port)
	}
	if l.User != "" {
		s = l.User + "@" + s
	}
	return s
}

// splitHostPort splits host[:port], [v6]:port or a bare IPv6 address.
func splitHostPort(s string) (string, int, error) {
	if strings.HasPrefix(s, "[") && strings.Contains(s, "]") {
		end := strings.IndexByte(s, ']')
		host, rest := s[1:end], s[end+1:]
		if !strings.Contains(host, ":") {
			// node[1-3] is a range, not an address.
			return splitRangeHostPort(s)
		}
		if rest == "" {
			return host, 0, nil
		}
		if rest[0] != ':' {
			return "", 0, fmt.Errorf("junk %q after ]", rest)
		}
		port, err := parsePort(rest[1:])
		return host, port, err
	}
	return splitRangeHostPort(s)
}

// splitRangeHostPort splits host[:port] where host may hold ranges; more
// than one colon outside brackets is a bare IPv6 address.
func splitRangeHostPort(s string) (string, int, error) {
	colons, last, depth := 0, -1, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case ':':
			if depth == 0 {
				colons++
				last = i
			}
		}
	}
	if colons != 1 {
		return s, 0, nil
	}
	port, err := parsePort(s[last+1:])
	return s[:last], port, err
}

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("bad port %q", s)
	}
	return n, nil
}

// maxExpansion bounds how many hosts one range may expand to.
const maxExpansion = 10000

// expandRange expands the ranges of host: "node[1-3,7]" is node1, node2,
// node3, node7; "n[01-03]" keeps the width (n01, n02, n03); several ranges
// multiply. A host without brackets is itself.
func expandRange(host string) ([]string, error) {
	open := strings.IndexByte(host, '[')
	if open < 0 {
		if strings.IndexByte(host, ']') >= 0 {
			return nil, fmt.Errorf("host %q: ] without [", host)
		}
		return []string{host}, nil
	}
	end := strings.IndexByte(host[open:], ']')
	if end < 0 {
		return nil, fmt.Errorf("host %q: [ without ]", host)
	}
	end += open
	items, err := rangeItems(host[open+1 : end])
	if err != nil {
		return nil, fmt.Errorf("host %q: %w", host, err)
	}
	tails, err := expandRange(host[end+1:])
	if err != nil {
		return nil, err
	}
	if len(items)*len(tails) > maxExpansion {
		return nil, fmt.Errorf("host %q: more than %d hosts", host, maxExpansion)
	}
	var out []string
	for _, it := range items {
		for _, t := range tails {
			out = append(out, host[:open]+it+t)
		}
	}
	return out, nil
}

// rangeItems reads "1-4,7" or "01-03" into its members.
func rangeItems(s string) ([]string, error) {
	if s == "" {
		return nil, errors.New("empty range")
	}
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			if part == "" {
				return nil, errors.New("empty range element")
			}
			out = append(out, part)
			continue
		}
		a, errA := strconv.Atoi(lo)
		b, errB := strconv.Atoi(hi)
		if errA != nil || errB != nil || a < 0 || b < a {
			return nil, fmt.Errorf("bad range %q", part)
		}
		if b-a >= maxExpansion || len(out)+b-a >= maxExpansion {
			return nil, fmt.Errorf("range %q: more than %d hosts", part, maxExpansion)
		}
		width := 0
		if len(lo) > 1 && lo[0] == '0' {
			width = len(lo)
		}
		for n := a; n <= b; n++ {
			out = append(out, fmt.Sprintf("%0*d", width, n))
		}
	}
	return out, nil
}

// ParseSSH splits an --ssh command into words, once, with shell-like
// quoting and no shell: "ssh -F 'my cfg'" is ssh, -F, my cfg. Variables
// and other shell syntax are refused rather than passed on half-read. An
// empty command means "ssh".
func ParseSSH(cmd string) ([]string, error) {
	if strings.TrimSpace(cmd) == "" {
		return []string{"ssh"}, nil
	}
	p := shellwords.NewParser()
	p.ParseEnv = false
	p.ParseBacktick = false
	words, err := p.Parse(cmd)
	if err != nil {
		return nil, fmt.Errorf("bad --ssh %q: %w", cmd, err)
	}
	if p.Position >= 0 {
		return nil, fmt.Errorf("bad --ssh %q: shell syntax at %q (give a command and its arguments)", cmd, cmd[p.Position:])
	}
	if len(words) == 0 {
		return []string{"ssh"}, nil
	}
	return words, nil
}
