package cmd

import (
	"strings"

	"github.com/gopool/gopool/internal/tmpl"
)

// expander turns a job's arguments into its command: the template expanded,
// or, without a template, each record a command line of its own.
type expander struct {
	tmpl *tmpl.Template // nil: each record is a command line
	opt  tmpl.Options
}

// argv expands a job's command for a slot.
func (e expander) argv(args []string, seq int64, slot int) ([]string, error) {
	if e.tmpl != nil {
		return e.tmpl.Expand(args, seq, slot), nil
	}
	return tmpl.CommandLine(strings.Join(args, " "), e.opt)
}

// env appends to env the variables that pass a job's values to its shell
// as data (see tmpl.Template.AppendEnv).
func (e expander) env(env, args []string) []string {
	if e.tmpl == nil {
		return env
	}
	return e.tmpl.AppendEnv(env, args)
}

// command is a job's command as the joblog and --dry-run show it: quoted
// so that a shell would run it the same. argv is nil for a job whose
// command could not be expanded; its arguments stand in.
func (e expander) command(args []string, seq int64, slot int, argv []string) string {
	switch {
	case argv == nil:
		return strings.Join(args, " ")
	case e.tmpl != nil:
		return e.tmpl.DryRun(args, seq, slot)
	}
	return tmpl.Quote(argv)
}

// logged is the joblog's Command of a job expanded for slot (resume
// compares it with an earlier run's).
func (e expander) logged(args []string, seq int64, slot int) string {
	argv, err := e.argv(args, seq, slot)
	if err != nil {
		argv = nil
	}
	return joblogCommand(e.command(args, seq, slot, argv))
}

// skip reports whether the template skips the job of args (--plus
// {uniq}, {choose_k}).
func (e expander) skip(args []string) bool {
	return e.tmpl != nil && e.tmpl.Skip(args)
}

// usesSlot reports whether the command depends on the job slot ({%}), which
// is unknown until a job starts.
func (e expander) usesSlot(args []string, seq int64) bool {
	return e.tmpl != nil && e.logged(args, seq, 1) != e.logged(args, seq, 2)
}
