package input

import (
	"reflect"
	"testing"
)

func TestSplitPositional(t *testing.T) {
	v := func(linked bool, x ...string) SourceSpec {
		if x == nil {
			x = []string{} // what a slice of args holds
		}
		return SourceSpec{Values: x, IsValues: true, Linked: linked}
	}
	f := func(linked bool, p string) SourceSpec { return SourceSpec{Path: p, Linked: linked} }
	tests := []struct {
		name         string
		args         []string
		argSep       string
		fileSep      string
		wantTemplate []string
		wantSources  []SourceSpec
		wantErr      string
	}{
		{name: "template only", args: []string{"echo", "x"}, wantTemplate: []string{"echo", "x"}},
		{name: "nothing", args: nil, wantTemplate: []string{}},
		{name: "values", args: []string{"echo", ":::", "a", "b"},
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{v(false, "a", "b")}},
		{name: "no template", args: []string{":::", "echo a"},
			wantTemplate: []string{}, wantSources: []SourceSpec{v(false, "echo a")}},
		{name: "empty group", args: []string{"echo", ":::", ":::", "a"},
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{v(false), v(false, "a")}},
		{name: "files", args: []string{"echo", "::::", "f", "g", ":::", "x"},
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{f(false, "f"), f(false, "g"), v(false, "x")}},
		{name: "linked values", args: []string{"echo", ":::", "a", ":::+", "1", ":::", "x"},
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{v(false, "a"), v(true, "1"), v(false, "x")}},
		{name: "linked files", args: []string{"echo", ":::", "a", "::::+", "f", "g"},
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{v(false, "a"), f(true, "f"), f(true, "g")}},
		{name: "a first :::+ is plain", args: []string{"echo", ":::+", "a", ":::+", "b"},
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{v(false, "a"), v(true, "b")}},
		{name: "--arg-sep", args: []string{"echo", ",,", "a", ",,+", "1", ":::", "x"}, argSep: ",,",
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{v(false, "a"), v(true, "1", ":::", "x")}},
		{name: "--arg-sep leaves ::: in the template", args: []string{"echo", ":::", ",,", "a"}, argSep: ",,",
			wantTemplate: []string{"echo", ":::"}, wantSources: []SourceSpec{v(false, "a")}},
		{name: "--arg-file-sep", args: []string{"echo", "//", "f", "//+", "g"}, fileSep: "//",
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{f(false, "f"), f(true, "g")}},
		{name: "--arg-file-sep leaves :::: in the template", args: []string{"echo", "::::", "//", "f"}, fileSep: "//",
			wantTemplate: []string{"echo", "::::"}, wantSources: []SourceSpec{f(false, "f")}},
		{name: "the same word is a file group", args: []string{"echo", "::::", "f"}, argSep: "::::",
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{f(false, "f")}},
		{name: "--arg-file-sep :::", args: []string{"echo", ":::", "f"}, fileSep: ":::",
			wantTemplate: []string{"echo"}, wantSources: []SourceSpec{f(false, "f")}},
		{name: "no file", args: []string{"echo", "::::"}, wantErr: ":::: needs at least one file"},
		{name: "no file before values", args: []string{"echo", "::::", ":::", "a"}, wantErr: ":::: needs at least one file"},
		{name: "no linked file", args: []string{"echo", ":::", "a", "::::+"}, wantErr: "::::+ needs at least one file"},
		{name: "no file, own separator", args: []string{"echo", "//"}, fileSep: "//", wantErr: "// needs at least one file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, srcs, err := SplitPositional(tt.args, tt.argSep, tt.fileSep)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want nil", err)
			}
			if len(tmpl) != len(tt.wantTemplate) || (len(tmpl) > 0 && !reflect.DeepEqual(tmpl, tt.wantTemplate)) {
				t.Errorf("got template %q, want %q", tmpl, tt.wantTemplate)
			}
			if !reflect.DeepEqual(srcs, tt.wantSources) {
				t.Errorf("got sources %+v, want %+v", srcs, tt.wantSources)
			}
		})
	}
}
