// `skbpath completion bash|zsh`: completion scripts made from the option tables.
import { COMMANDS, type OptionSpec } from './options.ts';

/** Words completing an option's value in bash: null means files/directories, '' means nothing to offer. */
function bashValue(o: OptionSpec): string {
  if (o.kind === 'dir') return 'COMPREPLY=( $(compgen -d -- "$cur") )';
  if (o.choices) return `COMPREPLY=( $(compgen -W "${o.choices.join(' ')}" -- "$cur") )`;
  return 'COMPREPLY=()';
}

export function bashCompletion(): string {
  const names = COMMANDS.map((c) => c.name).join(' ');
  let s = `# bash completion for skbpath (made by \`skbpath completion bash\`)
# use: source <(skbpath completion bash)
_skbpath() {
  local cur prev sub
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") )
    return 0
  fi
  sub="\${COMP_WORDS[1]}"
  case "$sub" in
`;
  for (const c of COMMANDS) {
    s += `    ${c.name})\n`;
    const valued = c.options.filter((o) => o.arg);
    if (valued.length) {
      s += '      case "$prev" in\n';
      for (const o of valued) s += `        --${o.name}) ${bashValue(o)}; return 0 ;;\n`;
      s += '      esac\n';
    }
    const opts = [...c.options.map((o) => `--${o.name}`), '--help'].join(' ');
    if (!c.passthrough) s += `      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "${opts}" -- "$cur") ); return 0; fi\n`;
    if (c.complete === 'words') s += `      COMPREPLY=( $(compgen -W "${(c.words ?? []).join(' ')}" -- "$cur") )\n`;
    else s += '      compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- "$cur") )\n';
    s += '      ;;\n';
  }
  s += `  esac
  return 0
}
complete -F _skbpath skbpath
`;
  return s;
}

const zq = (s: string): string => s.replace(/'/g, "'\\''").replace(/[[\]:]/g, (c) => `\\${c}`);

export function zshCompletion(): string {
  let s = `#compdef skbpath
# zsh completion for skbpath (made by \`skbpath completion zsh\`)
# use: source <(skbpath completion zsh), or save it as _skbpath in a directory of $fpath
_skbpath() {
  local -a cmds
  cmds=(
`;
  for (const c of COMMANDS) s += `    '${c.name}:${zq(c.summary)}'\n`;
  s += `  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'skbpath command' cmds
    _arguments '--help[print help]' '--version[print the version]'
    return
  fi
  local sub=$words[2]
  shift words
  (( CURRENT-- ))
  case $sub in
`;
  for (const c of COMMANDS) {
    s += `    ${c.name})\n      _arguments -s`;
    for (const o of c.options) {
      let action = '';
      if (o.arg) {
        if (o.kind === 'dir') action = `:${o.arg}:_files -/`;
        else if (o.choices) action = `:${o.arg}:(${o.choices.join(' ')})`;
        else action = `:${o.arg}: `;
      }
      s += ` \\\n        '--${o.name}[${zq(o.help)}]${action}'`;
    }
    s += ` \\\n        '(-h --help)'{-h,--help}'[print help]'`;
    if (c.complete === 'words') s += ` \\\n        '1:shell:(${(c.words ?? []).join(' ')})'`;
    else s += ` \\\n        '*:file:_files'`;
    s += '\n      ;;\n';
  }
  s += `  esac
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _skbpath "$@"
else
  compdef _skbpath skbpath
fi
`;
  return s;
}
