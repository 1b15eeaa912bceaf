package tmpl

import "strings"

// LocalHost is what {host} stands for on this machine, and for a template
// that was given no host (WithHost): GNU parallel's name for the local
// machine.
const LocalHost = ":"

// hostVar is the variable of the job's environment through which a shell
// script refers to {host}, as it does to a value: a host name is never
// part of the script's text.
const hostVar = varPrefix + "HOST"

// WithHost returns the template with {host} standing for host, the name
// of the machine that runs the job (-S); "" is LocalHost. A template
// without {host} is returned as it is. The result shares t's parsed form.
func (t *Template) WithHost(host string) *Template {
	if !t.UsesHost() || host == t.host {
		return t
	}
	c := *t
	c.host = host
	return &c
}

// UsesHost reports whether the template holds {host}.
func (t *Template) UsesHost() bool {
	return t.hostWord || t.sc != nil && t.sc.host
}

// hostName is the value of {host}.
func (t *Template) hostName() string {
	if t.host == "" {
		return LocalHost
	}
	return t.host
}

// appendHostEnv appends the variable of {host} for a script that refers
// to it.
func (t *Template) appendHostEnv(env []string) []string {
	if t.sc == nil || !t.sc.host {
		return env
	}
	return append(env, hostVar+"="+t.hostName())
}

// hostEnvLine writes the variable of {host} before a command line, as
// DryRun passes the values.
func (t *Template) hostEnvLine(b *strings.Builder) {
	if t.sc == nil || !t.sc.host {
		return
	}
	b.WriteString(hostVar + "=")
	writeQuoted(b, qUnquoted, t.hostName())
	b.WriteByte(' ')
}
