package cmd

// templateHelp explains the command template, in the help of map and
// submit and in their man pages (the table is indented as a code block,
// which the man page keeps as it is).
const templateHelp = `

The command template: replacement strings

    {}        the record (with -n, -X: one argument per record)
    {.}       the record without its extension   dir/a.tar.gz -> dir/a.tar
    {/}       its basename                                    -> a.tar.gz
    {//}      its directory                                   -> dir
    {/.}      its basename without its extension              -> a.tar
    {N}       input source or column N, {-1} the last, with the
              modifiers above: {N.} {N/} {N//} {N/.}
    {#}       the job number: 1, 2, ...
    {%}       the job slot: 1 to -j
    {name}    the column named name in the first line (--header :)
    <>        another name of {}; -I STR picks another string for {}

With --plus also: {+/} {+.} {..} {+..} {...} {+...} {/..} {/...} (the parts
of a path: {} = {+/}/{/} = {.}.{+.}), {##} the number of jobs, {0#} and {0%}
zero-padded, and after bash's ${x...}: {:-default} {:N} {:N:LEN} {#re}
{##re} {%re} {%%re} {/re/str} {//re/str} {/#re/str} {/%re/str} {^re} {^^re}
{,re} {,,re} (Go regular expressions), each also as {2...}. GNU parallel's
Perl expressions {= ... =} are an error.

How the command runs

  - Several words (gopool map -- gzip -k {}) run directly, with no shell:
    each value is one argument, whatever it holds.
  - One word with spaces ('gzip -k {}') is split as a shell would split it.
    If it holds shell syntax (| > && ; $(...) $VAR globs ~) it runs under
    sh -c (--shell-path), and each value reaches the shell as a variable of
    the job's environment, never as code. --shell always uses the shell;
    -q never splits a word.
  - With no replacement string in the template, the record is appended as
    the last argument (or arguments): gzip -k ::: a b runs "gzip -k a".
  - With no template at all, each record is itself a command line.
  - -X repeats the word around {} for each record (pre-{}-post gives
    pre-a-post pre-b-post); -m and -n join the records in it (pre-a b-post).`
