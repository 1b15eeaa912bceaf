package tmpl

import "testing"

// TestModifiers compares each modifier with the output of GNU parallel
// 20221122 (parallel -k printf '<%s>\n' {.} ::: ...).
func TestModifiers(t *testing.T) {
	tests := []struct {
		in                          string
		noExt, base, dir, baseNoExt string
	}{
		{in: "a", noExt: "a", base: "a", dir: ".", baseNoExt: "a"},
		{in: "a/b", noExt: "a/b", base: "b", dir: "a", baseNoExt: "b"},
		{in: "/a", noExt: "/a", base: "a", dir: "/", baseNoExt: "a"},
		{in: ".x", noExt: "", base: ".x", dir: ".", baseNoExt: ""},
		{in: "a.b.c", noExt: "a.b", base: "a.b.c", dir: ".", baseNoExt: "a.b"},
		{in: "dir.d/file", noExt: "dir.d/file", base: "file", dir: "dir.d", baseNoExt: "file"},
		{in: ".bashrc", noExt: "", base: ".bashrc", dir: ".", baseNoExt: ""},
		{in: "a.", noExt: "a", base: "a.", dir: ".", baseNoExt: "a"},
		{in: "a.b.", noExt: "a.b", base: "a.b.", dir: ".", baseNoExt: "a.b"},
		{in: "a/", noExt: "a/", base: "", dir: ".", baseNoExt: ""},
		{in: "a/b/", noExt: "a/b/", base: "", dir: "a", baseNoExt: ""},
		{in: "/", noExt: "/", base: "", dir: "/", baseNoExt: ""},
		{in: "//", noExt: "//", base: "", dir: "/", baseNoExt: ""},
		{in: "", noExt: "", base: "", dir: ".", baseNoExt: ""},
		{in: "a/.x", noExt: "a/", base: ".x", dir: "a", baseNoExt: ""},
		{in: "a/b.c/", noExt: "a/b.c/", base: "", dir: "a", baseNoExt: ""},
		{in: "/x.y", noExt: "/x", base: "x.y", dir: "/", baseNoExt: "x"},
		{in: "..", noExt: ".", base: "..", dir: ".", baseNoExt: "."},
		{in: ".", noExt: "", base: ".", dir: ".", baseNoExt: ""},
		{in: "a..b", noExt: "a.", base: "a..b", dir: ".", baseNoExt: "a."},
		{in: "x/..", noExt: "x/.", base: "..", dir: "x", baseNoExt: "."},
		{in: "a//b", noExt: "a//b", base: "b", dir: "a", baseNoExt: "b"},
		{in: "a/.", noExt: "a/", base: ".", dir: "a", baseNoExt: ""},
		{in: "a.b/c", noExt: "a.b/c", base: "c", dir: "a.b", baseNoExt: "c"},
	}
	for _, tc := range tests {
		for _, m := range []struct {
			name string
			mod  mod
			want string
		}{
			{"{}", mod{}, tc.in},
			{"{.}", mod{op: opNoExt}, tc.noExt},
			{"{/}", mod{op: opBase}, tc.base},
			{"{//}", mod{op: opDir}, tc.dir},
			{"{/.}", mod{op: opBaseNoExt}, tc.baseNoExt},
		} {
			if got := apply(m.mod, tc.in); got != m.want {
				t.Errorf("%s of %q: got %q, want %q", m.name, tc.in, got, m.want)
			}
		}
	}
}
