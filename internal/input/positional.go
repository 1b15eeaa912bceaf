package input

import "fmt"

// The default separators of the command line.
const (
	// DefaultArgSep starts a group of values (:::).
	DefaultArgSep = ":::"
	// DefaultArgFileSep starts a group of files (::::).
	DefaultArgFileSep = "::::"
)

// SplitPositional separates the words of a command line after the flags
// into the template and the input sources, as GNU parallel does. Words up to
// the first separator are the template. argSep (--arg-sep; "" means ":::")
// starts a group of values, argFileSep (--arg-file-sep; "" means "::::") a
// group of files, each file one source. A separator followed by "+" (":::+",
// "::::+") links the group's sources to the source before it (Linked); on
// the first group it is a plain separator. When the two separators are the
// same word it starts a group of files, as in GNU parallel.
//
// A group of files with no file is an error; a group of values may be empty.
func SplitPositional(args []string, argSep, argFileSep string) (template []string, sources []SourceSpec, err error) {
	if argSep == "" {
		argSep = DefaultArgSep
	}
	if argFileSep == "" {
		argFileSep = DefaultArgFileSep
	}
	// kind returns what word w starts: 0 nothing, 1 values, 2 files.
	kind := func(w string) (k int, linked bool) {
		switch w {
		case argFileSep:
			return 2, false
		case argFileSep + "+":
			return 2, true
		case argSep:
			return 1, false
		case argSep + "+":
			return 1, true
		}
		return 0, false
	}
	i := 0
	for i < len(args) {
		if k, _ := kind(args[i]); k != 0 {
			break
		}
		i++
	}
	template = args[:i]
	for i < len(args) {
		sep := args[i]
		k, linked := kind(sep)
		linked = linked && len(sources) > 0
		i++
		j := i
		for j < len(args) {
			if k, _ := kind(args[j]); k != 0 {
				break
			}
			j++
		}
		group := args[i:j]
		i = j
		if k == 1 {
			sources = append(sources, SourceSpec{Values: group, IsValues: true, Linked: linked})
			continue
		}
		if len(group) == 0 {
			return nil, nil, fmt.Errorf("%s needs at least one file", sep)
		}
		for _, f := range group {
			sources = append(sources, SourceSpec{Path: f, Linked: linked})
		}
	}
	return template, sources, nil
}
