// The scripts of the shell-vs-bash differential test. Their real-bash outcome is
// recorded in shell-bash.recorded.json (npx tsx test/userspace/shell-bash.record.ts).
export type Files = Record<string, string>;

export const CASES: [string, string, Files?][] = [
  // quoting
  ['quotes', `x=val\necho 'single $x' "double $x" \\$x a\\ b "a\\"b" 'it'\\''s' "tab\\there" $'c\\td\\n'x\n`],
  ['empty words', `e=\nprintf '[%s]' "" $e "$e" ''$e; echo\n`],
  ['backslashes', `echo a\\\\b "a\\\\b" 'a\\\\b' "\\$HOME-ish" "\\q"\n`],
  ['continuation', `echo a \\\n  b \\\n  c\necho "x\\\ny"\n`],
  ['comments', `echo a # comment\necho a#b '#' "#"\n# whole line\n  # indented\necho done\n`],
  ['keywords as args', `echo if then else fi do done case esac in { } !\n`],
  // expansions and splitting
  [
    'splitting',
    `x="a  b   c"\necho $x\necho "$x"\nprintf '[%s]' $x; echo\ny=" lead trail "\nprintf '[%s]' $y; echo\nprintf '[%s]' x$y; echo\n`,
  ],
  [
    'IFS',
    `x="a:b::c:"\nIFS=:\nprintf '[%s]' $x; echo\nIFS=' :'\ny=" a : b  :c "\nprintf '[%s]' $y; echo\nunset IFS\nprintf '[%s]' $x; echo\nIFS=\nprintf '[%s]' $x; echo\n`,
  ],
  [
    'positional',
    `set -- "a b" c ""\necho $#\nprintf '[%s]' "$@"; echo\nprintf '[%s]' $@; echo\nprintf '[%s]' "$*"; echo\nprintf '[%s]' $*; echo\nprintf '[%s]' "x$@y"; echo\nIFS=-; printf '[%s]' "$*"; echo\n`,
  ],
  ['no positional', `set --\nprintf '[%s]' "$@" x; echo\nprintf '[%s]' "$*"; echo\necho $# "$1" \${1-unset}\n`],
  ['many positional', `set -- 1 2 3 4 5 6 7 8 9 10 11\necho $9 $10 \${10} \${11} $#\nshift 3\necho $@\nshift 9; echo "st=$? $#"\n`],
  [
    'param ops',
    `unset x; y=\necho \${x:-d1} \${x-d2} \${y:-d3} "\${y-d4}" \${z:=zz} $z \${z:+alt} \${x:+alt2} \${#z}\necho \${y:+nonempty}end "\${x:-a b}" \${x:-a   b}\n`,
  ],
  [
    'affixes',
    `f=path/to/file.tar.gz\necho \${f##*/} \${f#*/} \${f%.*} \${f%%.*} \${f%/*}\necho \${f/t/T} \${f//t/T} \${f/#p/P} \${f/%gz/GZ} \${f//[aeiou]/}\necho \${f:2:3} \${f: -3} \${f:5} \${#f} \${f^^} \${f,,}\n`,
  ],
  [
    'quoted patterns',
    `x='a*b'\necho \${x#"a*"} \${x#a*}\ncase 'a*b' in "a*"b) echo lit;; esac\ncase axb in "a*"b) echo lit2;; a*b) echo glob;; esac\n`,
  ],
  [
    'arithmetic',
    `echo $((1+2*3)) $((10/3)) $((10%3)) $((-7/2)) $((-7%2)) $((2**10)) $((1<2)) $((2<1)) $((!0)) $((~5))\necho $((x=5, x*2)) $x $((0x10)) $((010)) $((2#101)) $((64#z)) $((1<<4)) $((256>>2)) $((5&3)) $((5|3)) $((5^3))\ni=0; echo $((i++)) $((i++)) $i $((++i)) $((i--)) $i\necho $((3 > 2 ? 10 : 20)) $((0 && 1/0)) $((1 || 1/0)) $(( (1+2) * 3 ))\na=3; b=a; echo $((b+1)) $((a*=2)) $a $((a+=1)) $(( a -= 2 )) $a\necho $((9223372036854775807 + 1)) $((-9223372036854775807 - 1))\n`,
  ],
  ['arith vars', `x="1+2"; echo $((x*2)) $(( x ))\nunset u; echo $((u+1))\n`],
  [
    'arith errors',
    `echo $((1/0)); echo same line\necho next $?\necho $((2+))\necho $(( 1 / 0 ))\necho $((1/0+2))\necho $((08))\necho $((3 4))\nfor i in 1 2; do echo $i; echo $((i/0)); done; echo after\necho end\n`,
  ],
  [
    'command substitution',
    `x=$(echo a; echo b)\necho "$x"\necho $(echo $(echo nested))\ny=\`echo back\`; echo $y\necho "[$(printf 'a\\n\\n\\n')]"\necho "$(echo "inner $(echo deep)")"\nz=$(false); echo "st=$?"\necho $(exit 3) $?\n`,
  ],
  ['cmdsub subshell', `x=1\ny=$(x=2; echo $x)\necho $x $y\necho $(echo a | tr a b)\n`],
  ['brace expansion', `echo {a,b,c}x y{1,2} {1..5} {5..1} {01..03} {a..e} {1..10..3} x{,y}z '{a,b}' {a}\n`],
  // lists and control flow
  [
    'and or',
    `true && echo a || echo b\nfalse && echo c || echo d\nfalse || false || echo e\ntrue || echo f; echo g\n! true; echo $?\n! false; echo $?\n`,
  ],
  [
    'if',
    `if false; then echo 1; elif true; then echo 2; else echo 3; fi\nif true\nthen\n  echo multi\nfi\nif false; then :; fi; echo "st=$?"\n`,
  ],
  [
    'while until',
    `i=0\nwhile [ $i -lt 3 ]; do echo $i; i=$((i+1)); done\nuntil [ $i -eq 0 ]; do i=$((i-1)); echo u$i; done\nwhile false; do :; done; echo "st=$?"\n`,
  ],
  [
    'break continue',
    `for i in 1 2 3; do for j in a b c; do [ $j = b ] && continue 2; [ $i = 3 ] && break 2; echo $i$j; done; done\ni=0; while true; do i=$((i+1)); [ $i -gt 3 ] && break; [ $i = 2 ] && continue; echo w$i; done\nbreak\necho "st=$?"\n`,
  ],
  [
    'for forms',
    `for i in a "b c" $(echo d e); do echo "[$i]"; done\nset -- x y\nfor a; do echo $a; done\nfor a do echo $a; done\nfor i in; do echo never; done\nfor ((i=0; i<3; i++)); do echo c$i; done\nfor w in\ndo echo x; done\n`,
  ],
  [
    'case',
    `for w in apple banana cherry "x y" 123 '' Z; do\n  case $w in\n    a*) echo A;;\n    b*|c*) echo BC ;;\n    *" "*) echo space;;\n    [0-9]*) echo num;;\n    '') echo empty;;\n    [[:upper:]]) echo upper;;\n  esac\ndone\ncase x in (x) echo paren;; esac\ncase y in x) echo no;; esac; echo "st=$?"\n`,
  ],
  ['case fallthrough', `case a in a) echo 1;& b) echo 2;; c) echo 3;; esac\ncase a in a) echo 4;;& *) echo 5;; esac\n`],
  [
    'functions',
    `f() { echo "f: $# [$1] [$2]"; return 3; }\nf one "two three"; echo "rc=$?"\nfunction g { local x=inner; echo $x; h; }\nh() { echo "h sees $x"; }\nx=outer; g; echo $x\nfact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }\nfact 6\nk() { echo "args: $@"; shift; echo "after: $*"; }\nk a b c; echo "outer: $#"\n`,
  ],
  [
    'local',
    `f() { local a=1 b; b=2; echo $a $b \${b+set}; }\na=A; b=B; f; echo $a $b\nlocal z=1\necho "st=$?"\ng() { local v; echo "[\${v-unset}]"; }\nv=global g\n`,
  ],
  ['subshells', `x=1; (x=2; echo $x); echo $x\n{ x=3; }; echo $x\n(exit 7); echo $?\n( echo sub; false ) && echo no || echo "failed $?"\n`],
  ['groups and redirection', `{ echo a; echo b >&2; } > out 2> err\ncat out err\n{ echo one; echo two; } | tr a-z A-Z\n`],
  [
    'pipelines',
    `echo hello | tr a-z A-Z | tr L l\nprintf 'b\\na\\nc\\n' | sort | head -n 2\nfalse | true; echo $?\ntrue | false; echo $?\nset -o pipefail\nfalse | true; echo $?\n(exit 3) | (exit 4) | true; echo $?\n`,
  ],
  ['pipeline subshells', `x=1\necho 5 | read x\necho $x\necho a b | { read p q; echo "$q $p"; }\n`],
  [
    'while read',
    `printf 'l1\\nl2 with  spaces\\n\\nlast' | while read line; do echo "<$line>"; done\nwhile read -r a b; do echo "a=$a b=$b"; done <<EOF\none two three\n  lead\\\\ing x\nEOF\nIFS=: read -r u p rest <<< "root:x:0:0:root"\necho "$u|$p|$rest"\nread v <<< ""; echo "st=$? [$v]"\nprintf 'a\\\\\\nb\\n' | { read j; echo "$j"; }\n`,
  ],
  [
    'read splitting',
    `IFS=: read a b <<< "x:y:"; echo "[$a][$b]"\nIFS=: read a b <<< "x:y:z:"; echo "[$a][$b]"\nread a b <<< "  one   two  three  "; echo "[$a][$b]"\nread a <<< "  keep   inner  "; echo "[$a]"\nread <<< "  reply  "; echo "[$REPLY]"\n`,
  ],
  [
    'here documents',
    `x=world\ncat <<EOF\nhello $x\n$(echo sub) \\$x \\\\ 'q' "dq"\nEOF\ncat <<'EOF'\nraw $x \\$x\nEOF\ncat <<-EOF\n\tstripped $x\n\t\tdouble\n\tEOF\ncat <<< "here $x"\ncat <<A; cat <<B\na\nA\nb\nB\n`,
  ],
  [
    'redirections',
    `echo a > f\necho b >> f\ncat f\ncat < f\necho err >&2\necho x 2>/dev/null\ncat nonexist 2>&1\necho quiet > /dev/null\ncat /dev/null\necho both &> g; cat g\necho to-err 1>&2 2>/dev/null\nexec 3> f3\necho via3 >&3\nexec 3>&-\ncat f3\n: > empty\n`,
  ],
  [
    'redirection errors',
    `echo a > nodir/x\necho "st=$?"\ncat < nonexist\necho "st=$?"\necho b 2> nodir/y\necho "st=$?"\nx="a b"\necho c > $x\necho "st=$?"\necho d >&7\necho "st=$?"\n`,
  ],
  [
    'background and wait',
    `sleep 0.2 & p=$!\necho started\nwait $p; echo "st=$?"\n(sleep 0.1; exit 3) &\nwait $!; echo "st=$?"\nsleep 0.1 & sleep 0.2 &\nwait; echo "all $?"\nwait 1; echo "st=$?"\n`,
  ],
  ['background output order', `{ sleep 0.2; echo late; } &\necho early\nsleep 0.1\necho middle\nwait\necho end\n`],
  [
    'set -e',
    `set -e\nfalse || true\necho ok\nif false; then :; fi\necho ok2\nfalse && true\necho ok3\n! true\necho ok4\nf() { false; echo in-f; }\nx=$(false; echo sub)\necho "x=$x"\nfalse\necho notreached\n`,
  ],
  ['set -e subshell', `set -e\n(false; echo not)\necho notreached\n`],
  ['set -e function', `set -e\nf() { false && true; }\nf\necho notreached\n`],
  ['set -u', `set -u\necho \${x:-d}\necho "\${x+set}"\necho $x\necho after\n`],
  ['set -u positional', `set -u\necho $#\necho $1\n`],
  ['param ? error', `echo \${x:?is missing}\necho after\n`],
  ['param ? subshell', `(echo \${x?}); echo "st=$?"\n`],
  [
    'set -x',
    `set -x\nx=1\necho "a b" 'c' $x "it's" '' \\$\ny=$(echo hi)\nfor i in 1; do echo $i; done\n[ 1 = 1 ] && echo ok\nf() { echo in f; }\nf\nz="q r" true\nset +x\necho quiet\n`,
  ],
  ['dollar dash', `echo $-\nset -e; echo $-\nset -u; echo $-\nset +eu; echo $-\n`],
  ['exit status', `f() { return 300; }\nf; echo $?\n(exit 256); echo $?\n(exit -1); echo $?\nexit 4\necho no\n`],
  ['exit in function', `f() { echo in; exit 5; echo no; }\nf\necho no\n`],
  ['exit errors', `exit 1 2\necho "st=$?"\nexit abc\necho no\n`],
  ['return errors', `return\necho "st=$?"\nf() { return x; }; f; echo "st=$?"\n`],
  ['trap exit', `trap 'echo bye $?' EXIT\necho hi\nexit 3\n`],
  ['trap exit normal', `trap 'echo cleanup' 0\necho work\n`],
  ['command not found', `foo\necho "st=$?"\nfoo bar 2>/dev/null; echo "st=$?"\n./nothere\necho "st=$?"\nX=1 nocmd > out; echo "st=$?"\n`],
  [
    'echo',
    `echo -n no-newline; echo\necho -e 'a\\tb\\\\n\\101\\0101\\x41'\necho -E 'a\\tb'\necho -ne 'q\\n'\necho -- -n\necho -nx\necho -e 'stop\\cnot'\necho\necho -e\n`,
  ],
  [
    'printf',
    `printf '%s|%5s|%-5s|%.2s\\n' a b c defg\nprintf '%d %i %x %X %o %u %c %%\\n' 42 -7 255 255 8 3 hello\nprintf '%05d|%+d|% d|%-4d|%.3d\\n' 42 42 42 42 5\nprintf '%s\\n' a b c\nprintf '%d-%d\\n' 1 2 3\nprintf 'no args\\n'\nprintf '%b\\n' 'x\\ty' '\\0101'\nprintf '%q\\n' 'a b' "it's" ''\nprintf '%.3f %e %g %g\\n' 3.14159 1.5 0.0001 1000000\nprintf '\\x41\\101\\t|\\n'\nprintf '%s %s\\n' a\nprintf -v v '%03d' 7; echo $v\nprintf '%*d|%-*d|\\n' 5 1 3 2\n`,
  ],
  [
    'printf errors',
    `printf '%d\\n' abc 12abc "'A" 3.5 ''\necho "st=$?"\nprintf '%z\\n' 1\necho "st=$?"\nprintf\necho "st=$?"\nprintf '%d\\n' 99999999999999999999\n`,
  ],
  [
    'test',
    `t() { "$@"; echo "$* -> $?"; }\nt [ -z "" ]\nt [ -n "" ]\nt [ a = a ]\nt [ a != a ]\nt [ 1 -eq 01 ]\nt [ 2 -gt 10 ]\nt [ 2 -le 2 ]\nt [ -f script.sh ]\nt [ -d . ]\nt [ -e nofile ]\nt [ ! -e nofile ]\nt [ a \\< b ]\nt [ abc ]\nt [ ]\nt test\nt [ 1 -eq 1 -a 2 -eq 3 ]\nt [ 1 -eq 1 -o 2 -eq 3 ]\nt [ \\( 1 = 1 \\) ]\nt [ -s script.sh ]\nt [ -d script.sh ]\n`,
  ],
  [
    'test errors',
    `[ abc -lt 1 ]; echo "st=$?"\n[ 1 = 1; echo "st=$?"\n[ a b c ]; echo "st=$?"\n[ -x ]; echo "st=$?"\n[ -z a b ]; echo "st=$?"\ntest 1 -eq; echo "st=$?"\n`,
  ],
  [
    'double brackets',
    `x=abc\n[[ $x == a* ]] && echo glob\n[[ $x == "a*" ]] || echo literal\n[[ -n $x && $x != b ]] && echo and\n[[ -z $x || $x = abc ]] && echo or\n[[ ! -e nofile ]] && echo notexists\n[[ 2 -lt 10 ]] && echo numeric\n[[ b > a ]] && echo greater\ny="a b"; [[ $y = "a b" ]] && echo nosplit\n[[ $x =~ ^a.c$ ]] && echo regex\n`,
  ],
  ['arith command', `(( x = 3 + 4 )); echo $x\n(( 0 )); echo $?\n(( 5 )); echo $?\nlet y=2*3 z=y+1; echo $y $z\n`],
  [
    'eval',
    `eval 'x=5; echo $x'\ncmd="echo hi there"; $cmd\neval "echo \\$x"\neval 'if true; then echo evif; fi'\neval 'echo )'\necho "st=$?"\n`,
  ],
  [
    'export and bash -c',
    `export FOO=bar\nbash -c 'echo $FOO $0 $1' name arg1\nBAR=baz bash -c 'echo $BAR'\necho "[$BAR]"\nbash -c 'exit 5'; echo $?\nbash -c 'nosuch'; echo $?\n`,
  ],
  [
    'readonly unset',
    `readonly R=1\nR=2\necho "st=$? $R"\nunset R\necho "st=$?"\nx=1; unset x; echo "[\${x-unset}]"\nf() { :; }; unset -f f; f; echo "st=$?"\n`,
  ],
  ['shift and set', `set -- 1 2 3 4\nshift 2; echo $@\nshift 5; echo "st=$? $@"\nset a b; echo $1$2\nset -- ; echo $#\n`],
  ['set errors', `set -q\necho "st=$?"\nset -o nosuchopt\necho "st=$?"\nshift x\necho "st=$?"\n`],
  ['export errors', `export 1x=2\necho "st=$?"\nexport A B=2\necho "$B"\nunset 1x; echo "st=$?"\n`],
  ['assignment status', `x=$(exit 3); echo $?\nx=1; echo $?\nfalse; x=$(true); echo $?\n`],
  [
    'prefix assignments',
    `f() { echo "in f: $v"; }\nv=1 f\necho "after: [$v]"\nv=outer\nv=inner f\necho $v\nIFS=: read a b <<< "1:2"; echo "$a $b [$IFS]" | tr '\\n\\t' 'NT'; echo\n`,
  ],
  [
    'nested structures',
    `for i in 1 2; do\n  case $i in\n    1) if [ $i = 1 ]; then echo one; fi ;;\n    *) while false; do :; done; echo other ;;\n  esac\ndone | while read l; do echo "got $l"; done\n`,
  ],
  ['ansi c quotes', `echo $'a\\tb' $'\\x41\\101' $'it\\'s' $'\\e' | tr '\\033\\t' 'ET'\n`],
  ['tilde and special chars', `echo a=b c:d @x %y +z ,w .v -u\necho *.nomatch ? [x]\n`],
  ['dollar specials', `echo $? $# "$0" \${#}\nf() { echo \${#@} $#; }; f a b c\n`],
  ['unterminated if', `echo a\nif true; then\necho b\n`],
  ['syntax error fi', `echo a\nfi\necho b\n`],
  ['syntax error same line', `echo a; for i in 1 2; do echo $i; done; done\necho b\n`],
  ['syntax error later', `echo first\nx=$(echo a; done)\necho never\n`],
  ['syntax error paren', `echo (a)\n`],
  ['syntax error newline', `echo a >\n`],
  ['syntax error pipe', `echo a; echo b |\n|| echo c\n`],
  ['syntax error done', `if true\nthen\n  echo x\n  done\nfi\n`],
  ['syntax error func', `f() echo\n`],
  ['syntax error close paren', `echo a; )\n`],
  ['unterminated quote', `echo a\necho "abc\necho b\n`],
  ['unterminated single', `echo 'abc\n\n`],
  ['unterminated cmdsub', `echo $(( 1 + \n`],
  ['unterminated brace', `echo \${x\n`],
  ['unterminated for', `for i in 1 2\ndo\necho $i\n`],
  ['here-doc at eof', `cat <<EOF\nabc`],
  ['here-doc eof newline', `cat <<EOF\nabc\n`],
  ['bad substitution', `echo start\necho \${x!y}\necho after\n`],
  [
    'line numbers',
    `echo a \\\n b; foo \\\n x\nbar\nfor i in 1 2; do\n  nope$i\ndone\nf() {\n  echo\n  inside\n}\nf\nx=$(\n\nincs\n)\nif nocond; then :; fi\n`,
  ],
  ['case syntax', `case a in\n a) echo a;;\n b) echo b\nesac\necho z\n`],
  [
    'loop output to pipe',
    `for i in 1 2 3; do echo $i; done | tr '\\n' ' '; echo\nwhile read x; do echo "[$x]"; done < f\n`,
    { f: 'one\ntwo\n' },
  ],
  [
    'sourcing',
    `. ./lib.sh\necho $LIBVAR\nlibf x\nsource lib.sh; echo again\n. nonexist.sh; echo "st=$?"\n`,
    { 'lib.sh': 'LIBVAR=fromlib\nlibf() { echo "libf $1"; }\n' },
  ],
  ['files', `cat a.txt\necho more >> a.txt\ncat a.txt b.txt 2>&1\nwc -l < a.txt\n`, { 'a.txt': 'line1\nline2\n' }],
  ['directory', `cat dir\necho x > dir\necho "st=$?"\n[ -d dir ] && echo isdir\n`, { 'dir/': '' }],
  ['sleep errors', `sleep\necho "st=$?"\nsleep x y\necho "st=$?"\nsleep 1k\nsleep 0.01s 0.01\necho "st=$?"\n`],
  [
    'type and command',
    `type echo cd\ntype nosuch; echo "st=$?"\ncommand -v echo\ncommand -v nosuch; echo "st=$?"\ncommand echo via command\nf() { echo func; }; type f | head -n 1\n`,
  ],
  [
    'jobs',
    `sleep 2 &\nsleep 3 &\njobs\njobs %1\njobs %3; echo "st=$?"\njobs -p | wc -l\nkill %1\nwait %1; echo "st=$?"\nsleep 4 &\njobs\nkill %2 %3\nwait\n`,
  ],
  [
    'kill',
    `sleep 10 &\nkill $!\nwait $!\necho "st=$?"\n(sleep 10; echo no) &\nkill -INT $!\nwait $!; echo "st=$?"\nkill 999999\necho "st=$?"\n`,
  ],
  ['exec', `exec 2>/dev/null\nnosuchcmd\necho "still here"\nexec echo replaced\necho never\n`],
  [
    'sigpipe',
    `while true; do echo y; done | head -n 2\nyes_loop() { while :; do echo x; done; }\nyes_loop | head -n 1\necho "st=\${PIPESTATUS[@]}"\n`,
  ],
  [
    'set -e and functions',
    `set -e\nf() { echo f1; false; echo f2; }\nif f; then echo ok; fi\nf || echo "f failed"\nx=$(echo a; false; echo b); echo "x=$x"\nwhile false; do :; done\ny=$(false) || echo "y failed"\necho before\nz=$(false)\necho notreached\n`,
  ],
  [
    'idioms',
    `echo $(( $(echo 3) + 4 ))\nunset u; echo \${u:-$(echo fromcmd)} "\${u:-"a  b"}" \${u:-'q  r'}\nset -- a b c d\necho "\${@:2}" "\${@: -1}" "\${@:2:2}" \${#@}\nfor i in $(seq 3); do echo -n "$i "; done; echo\n[ -n "$nope" ] || { echo missing; }\nIFS= read -r line <<< "   spaced   out  "; echo "[$line]"\nprintf 'a:b\\nc:d\\n' > kv\nwhile IFS=: read -r k v; do echo "$k=$v"; done < kv\necho "$(< kv)"\nx=$(<kv); echo "$x"\ncat <<EOF | tr a-z A-Z\npiped heredoc\nEOF\n{ echo out; echo err >&2; } 2>&1 | tr a-z A-Z\nls_nope 2>&1 >/dev/null | tr a-z A-Z\nif ! false; then echo negated; fi\n: \${dflt:=5}; echo $dflt\nwhile [ $# -gt 0 ]; do case $1 in a) echo got-a;; *) echo "other $1";; esac; shift; done\necho $1x \${1}x\nf() { for i in 1 2 3; do [ $i = 2 ] && return 7; done; }; f; echo $?\ng() { echo "$@"; printf '<%s>' "$@"; echo; }; g "a b" c\necho "\${#}" "$#"\n`,
  ],
  [
    'arrays',
    `a=(one "two three" four)\necho \${#a[@]} \${a[1]} "\${a[@]}" $a \${a[-1]}\nfor x in "\${a[@]}"; do echo "[$x]"; done\na+=(five)\na[7]=seven\necho \${#a[@]} "\${a[*]}" \${a[6]-unset}\ni=2; a[$i]=FOUR; a[i+1]=x; echo "\${a[@]}"\nunset 'a[1]'; echo "\${a[@]}" \${#a[@]}\ne=(); printf '[%s]' "\${e[@]}"; echo "n=\${#e[@]}"\nf() { local -a l=(p q); echo "\${l[@]}"; }; f; echo "[\${l[@]}]"\nb=(\n  x   # comment\n  y\n)\necho "\${b[@]}" "\${b[@]:1}"\ns=scalar; echo \${s[0]} \${s[@]} \${#s[@]}\nm=(1 2 3); echo $(( m[0] + m[2] ))\nunset m; echo "[\${m[@]}]"\n`,
  ],
  [
    'here-doc in command substitution',
    `x=$(cat <<EOF\nin sub $((1+1))\nEOF\n)\necho "$x"\nf() {\n  cat <<-END\n	from f $1\n	END\n}\nf a; f b\nfor i in 1 2; do cat <<E\nloop $i\nE\ndone\n`,
  ],
  [
    'compound redirections',
    `printf "3\\n1\\n2\\n" > nums\nwhile read n; do echo $((n*10)); done < nums | sort -n\nif true; then echo in-if; fi > out; cat out\nfor i in a b; do echo $i; done 2>&1 >> out; cat out\ncase x in x) echo incase;; esac | tr a-z A-Z\n`,
  ],
  [
    'errors in jobs and pipelines',
    `nosuch &\nwait\necho "rc=$?"\n(sleep 0.05; nosuch2) &\necho started\nwait $!\necho "rc=$?"\n{ echo a; nosuch3; } | cat\nx=$(nosuch4 2>&1); echo "[$x]"\nfor i in 1; do\n  nosuch5 | cat\ndone\necho $(( 1 + $(echo 2) ))\nf() {\n  nosuch6\n}\nf &\nwait\n`,
  ],
  [
    'nested substitutions',
    `echo "$(echo ")")"\necho $(case x in x) echo y;; esac)\necho $(echo a # comment with )\n)\necho \`echo \\\`echo inner\\\`\`\necho "\`echo "q"\`"\nx=$( echo '(' ; echo ")" ); echo "$x"\necho $((2*(3+4)))\necho $( (echo sub) )\necho $(( (1+2) ))\necho "\${x:-$(echo "}")}"\necho \${#x} "\${x//(/[}"\necho "a$(printf '%s' b)c"\necho $(echo $(echo $(echo deep)))\ny=$(cat <<'EOF'\n$notexpanded \`x\`\nEOF\n); echo "$y"\necho "\\$(not) \\\`not\\\`"\necho '$(not)'\nz="$(echo "a  b")"; echo "$z"\n`,
  ],
  ['writes to a closed stdout', `echo hi >&-\necho "st=$?"\nprintf x >&-; echo "st=$?"\n(echo sub) >&-; echo "st=$?"\n`],
  [
    'break in subshells',
    `for i in 1; do echo | { break; }; echo a; done\nfor i in 1; do echo | if true; then break; fi; echo b; done\nfor i in 1; do { break; } | cat; echo c; done\nfor i in 1; do if break; then :; fi | cat; echo d; done\necho | for i in 1; do echo | break; echo e; done\necho | for i in 1; do break | cat; echo f; done\necho | for i in 1; do { break; } | cat; echo g; done\nf() { echo | { return 3; }; echo "r=$?"; }; f\nf() { (return 4); echo "r=$?"; }; f\nfor i in 1 2; do x=$(break); echo "x $i"; done\nfor i in 1; do (break); echo h; done\nfor i in 1; do (echo | break); echo k; done\n`,
  ],
  ['sh is dash for echo and not found', `sh -c 'echo "a\\tb\\101\\0101|"; echo -e x; echo -n y; echo; nosuch'; echo "rc=$?"\n`],
  // issue 24: inputs that ended the run with a stack trace, and silently wrong output
  ['arith recursion', `x=x\necho $((x))\necho "after $?"\ny=y+1\necho $((y))\necho $((0 && x)) $((1 || x))\necho next\n`],
  [
    'deep arithmetic',
    `p=$(printf '(%.0s' {1..5000}); q=$(printf ')%.0s' {1..5000}); echo $(( \${p}1$q ))\nm=$(printf -- '- %.0s' {1..5000}); echo $(( \${m}1 ))\necho $(( $(printf -- '1?%.0s' {1..3000})2$(printf ':3%.0s' {1..3000}) ))\necho $((--5)) $((+++5)) $((7?))\necho after\n`,
  ],
  ['long word list', `for i in $(seq 1 130000); do :; done; echo "$i"\nset -- $(seq 1 130000); echo $#\n`],
  [
    'file errors',
    `echo x > plain/sub\necho "st=$?"\necho x | tee plain/sub\necho "st=$?"\ncat plain/sub; echo "st=$?"\necho x > ${'n'.repeat(300)}\necho "st=$?"\n. plain/x; echo "st=$?"\necho y > ..foo; cat ..foo\n`,
    { plain: 'p\n' },
  ],
  ['utf-8 files', `echo 日本 > f\ncat f\nwc -c f\nx=$(<f); echo "$x" | wc -c\ntee g <<< 'é' >/dev/null; cat g\n`],
  ['nul bytes', `x=$'a\\0b'; echo "$x" $'c\\x00d'e\nprintf 'a\\0b' > nul\ny=$(cat nul); echo "$y"\nz=$(<nul); echo "$z"\n`],
  [
    'list defaults',
    `set -- a "b c" d; printf '<%s>\\n' "\${@:-none}"\nset -- ""; printf '<%s>\\n' "\${@:-none}" "\${@-none}" \${*:+alt} "\${*:+alt}"\nset -- "" ""; printf '<%s>\\n' "\${@:-none}"\nset -- a "b c"; printf '<%s>\\n' "\${@:+x y}" "\${*:-n}" \${@:-n}\nIFS=-; printf '<%s>\\n' "\${*:-n}"\n`,
  ],
  [
    'long replace',
    `s=$(printf '%020000d' 0); t=\${s//0/ab}; echo \${#t}\nf=path/to/file; echo \${f//*/X} \${f//?/.} \${f//[ot]/} \${f/#p*t/P}\n`,
  ],
  [
    'indirection',
    `x=1; set -- p q; echo \${!x} \${!x:-d}\ny=u; echo "[\${!y}]" \${!y:-def}\nz=@; echo \${!z}\necho \${!w}\nx="a b"; echo \${!x}\necho next\n`,
  ],
  [
    'regex match',
    `[[ abc123 =~ ([a-z]+)([0-9]+) ]] && echo "m \${BASH_REMATCH[0]} \${BASH_REMATCH[1]} \${BASH_REMATCH[2]} \${#BASH_REMATCH[@]}"\nre="^([a-z]+)-([[:digit:]]+)$"; [[ foo-42 =~ $re ]] && echo "\${BASH_REMATCH[@]}"\n[[ x.y =~ "." ]]; echo $?; [[ xay =~ x"."y ]]; echo $?; [[ xay =~ x.y ]]; echo $?\n[[ ab =~ (a|b)+ ]] && echo "\${BASH_REMATCH[1]}"\n[[ nomatch =~ z ]]; echo $? \${#BASH_REMATCH[@]}\n[[ "a b" =~ (a b) ]] && echo sp\n`,
  ],
  [
    'regex match: POSIX leftmost-longest, bracket edges, bad patterns',
    `t() { if [[ $1 =~ $2 ]]; then echo "0 \${#BASH_REMATCH[@]} <\${BASH_REMATCH[*]}>"; else echo "$? \${#BASH_REMATCH[@]}"; fi; }
t abcd '(a|ab)(c|bcd)'
t xyz 'a|'
t 'a.b' 'a\\.b'
t 'axb' 'a\\.b'
t 'foo123bar' '([a-z]+)([0-9]+)'
t 'ab' '(x)?ab'
t 'a]b' '[]]'
t 'a-b' '[[:alpha:]]-[[:alpha:]]'
t 'abc' '('
t 'abc' '[[:bogus:]]'
t 'hello world' 'o w'
t '1.2.3.4' '^([0-9]+)\\.([0-9]+)\\.([0-9]+)\\.([0-9]+)$'
x='a.c'; [[ abc =~ "$x" ]]; echo "quoted $?"
[[ abc =~ $x ]]; echo "unquoted $?"
[[ 'a+b' =~ a"+"b ]]; echo "plus $?"
[[ aab =~ a{2}b ]]; echo "interval $? \${BASH_REMATCH[0]}"
[[ 'x^y' =~ x[\\^]y ]]; echo "caret $?"
[[ 'ab' =~ ^(a)(b)?(c)?$ ]]; echo "opt \${#BASH_REMATCH[@]} <\${BASH_REMATCH[3]}>"
`,
  ],
  [
    'listing names and indices: ${!prefix*} ${!a[@]}',
    `foo_a=1; foo_b=2; foox=3; unset foo_c; declare foo_d
printf '[%s]' \${!foo*}; echo
printf '[%s]' "\${!foo@}"; echo
printf '[%s]' "\${!foo*}"; echo
a=(x y z); a[7]=w; unset 'a[1]'
printf '[%s]' "\${!a[@]}"; echo
printf '[%s]' "\${!a[*]}"; echo
s=scalar; printf '[%s]' "\${!s[@]}" "\${!nope[@]}"; echo
for i in "\${!a[@]}"; do echo "$i=\${a[$i]}"; done
f() { local foo_loc=1; printf '[%s]' \${!foo_*}; echo; }; f
echo "\${!zz*}|"
`,
  ],
  ['seq streams', `seq -w 1 200000 | wc -l\nseq -w -5 5 | tr '\\n' ' '; echo\nseq 1 1000000 | tail -1\nseq 5 1; echo "st=$?"\n`],
];

// The oracle recorder runs each part of a scenario as `bash -c TEXT`.
export const COMMAND_CASES: [string, string][] = [
  ['messages', 'true\ncd nowhere\necho > nodir/x\n[ a -lt 1 ]\nfoo\necho ${x:?nope}\necho no\n'],
  ['messages in functions', '\n\nf() {\n\n foo\n}\nf\ng() { x=$(nope); (nope2); }\ng\nfor i in 1; do nope3; done\nnope4 &\nwait\n'],
  ['expansion errors', 'echo $(( 2 + ))\necho ${x!y}\nbreak\nset -u\necho $zz\necho no\n'],
  ['eval and sourcing', 'eval "nope"\neval "echo )"\nsource nofile\necho ok >&3\nprintf %d x\n'],
  ['syntax error', 'echo a\nfi\necho b\n'],
  ['syntax error at end', 'echo a\nif true; then\n'],
  ['unterminated quote', 'echo a\necho "abc\n'],
  ['here-document warning', 'echo a\ncat <<EOF\nx'],
  ['exit status', 'false\n'],
  ['dollar zero', 'echo $0 $#\n'],
  ['expansion exits', 'f() { echo ${x:?}; }; f; echo $?\n'],
  ['expansion exit in subshell', '(echo ${x:?}); echo $?\nset -u; f() { echo $x; }; f\n'],
  ['function messages', 'f() {\n  echo $((1/0))\n}\nf\necho next\ntrap "nope" EXIT\ng() { eval "nope"; }; g\n'],
];
