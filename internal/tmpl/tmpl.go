// Package tmpl parses gopool's command template and expands it for a job.
//
// The replacement strings are GNU parallel's: {} the record, {.} without
// extension, {/} basename, {//} dirname, {/.} basename without extension,
// {#} job number, {%} job slot, {N} argument N with the same modifiers
// ({2}, {2.}, {2/}, {2//}, {2/.}). <> is an alias of {}. Options.Replace
// picks another string for {} (-I).
//
// Several words run directly (no shell): a value is always one argument, so
// input can never inject a command. One word with spaces is split like a
// shell would (go-shellwords); if it holds shell syntax (pipes,
// redirections, &&, ;, $(...), `...`, $VAR, globs, ~) it runs under
// "SHELL -c" and each substituted value is single-quoted for that shell.
package tmpl

// Options changes how a template is read.
type Options struct {
	// Replace is the string for the whole record; empty means "{}".
	Replace string
	// Shell forces running under a shell (--shell).
	Shell bool
	// ShellPath is the shell for shell mode; empty means "/bin/sh".
	ShellPath string
}

// Template is a parsed command template. It is immutable and safe for
// concurrent use.
type Template struct {
	// implementation defined
}

// Parse reads a template from the command-line words after the flags. An
// unbalanced quote in a one-word template is an error ("unbalanced quote
// in template ..."). Parse never panics on any input.
func Parse(words []string, opt Options) (*Template, error) {
	panic("tmpl: not implemented")
}

// Expand returns the argv of the job with arguments args, job number seq
// (1-based) and slot (1-based).
//
// Direct mode: each template word is expanded with the values inserted raw.
// A word that is exactly one replacement string ({}, {.}, {1/} ...) yields
// one argv entry per argument (so -n 3 gives three arguments); in a longer
// word several arguments are joined with a space. With no replacement
// string anywhere in the template, args are appended as separate argv
// entries.
//
// Shell mode: argv is [ShellPath, "-c", script], where script is the
// template with every value single-quoted (several arguments quoted one by
// one and joined by spaces); with no replacement string the quoted args are
// appended to the script.
func (t *Template) Expand(args []string, seq int64, slot int) []string {
	panic("tmpl: not implemented")
}

// Shell reports whether the template runs under a shell.
func (t *Template) Shell() bool {
	panic("tmpl: not implemented")
}

// CommandLine turns a record that is itself a command line (no template
// given) into argv: split like a one-word template, under the shell when it
// holds shell syntax. No replacement strings are expanded.
func CommandLine(line string, opt Options) ([]string, error) {
	panic("tmpl: not implemented")
}

// Quote renders argv as one line that a POSIX shell would run as the same
// argv (for --dry-run): words that need it are single-quoted.
func Quote(argv []string) string {
	panic("tmpl: not implemented")
}
