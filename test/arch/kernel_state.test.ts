// No module-level mutable state under src/kernel: what a kernel keeps belongs
// on the Kernel, Net, NetDevice or Sock instance, so two runs in one process
// (or two worlds side by side) never share it. A lint over the syntax tree of
// every kernel file (the TypeScript compiler API) fails on
//   - a top-level `let` or `var`;
//   - a top-level `const` (or a static class property) initialised with a
//     container that can be mutated: `new X(...)`, an array or object literal,
//     unless it is `as const`, `Object.freeze(...)`, or declared with a
//     readonly type (ReadonlyMap, ReadonlySet, readonly T[], Readonly<T>);
//   - a top-level statement that runs code (a call, an assignment, a loop),
//     such as registering into another module's table at import time.
// Exceptions are listed in ALLOWED with a reason; the list is meant to shrink
// to nothing, and an entry nothing needs any more fails too.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const KERNEL = join(ROOT, 'src/kernel');

/** file (relative to the repository) → name of the declaration (or `<statement>` for top-level code) → reason. */
const ALLOWED: Record<string, Record<string, string>> = {};

interface Finding {
  file: string;
  name: string;
  line: number;
  what: string;
}

function kernelFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...kernelFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

const READONLY_TYPES = new Set(['ReadonlyMap', 'ReadonlySet', 'ReadonlyArray', 'Readonly']);

/** A type the compiler keeps from being mutated through this binding. */
function isReadonlyType(t: ts.TypeNode | undefined): boolean {
  if (!t) return false;
  if (ts.isTypeOperatorNode(t)) return t.operator === ts.SyntaxKind.ReadonlyKeyword;
  if (ts.isTypeReferenceNode(t)) return ts.isIdentifier(t.typeName) && READONLY_TYPES.has(t.typeName.text);
  if (ts.isMappedTypeNode(t)) return t.readonlyToken !== undefined && t.readonlyToken.kind !== ts.SyntaxKind.MinusToken;
  if (ts.isTypeLiteralNode(t)) {
    return (
      t.members.length > 0 &&
      t.members.every(
        (m) =>
          (ts.isPropertySignature(m) || ts.isIndexSignatureDeclaration(m)) &&
          (m.modifiers ?? []).some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword),
      )
    );
  }
  return false;
}

function isObjectFreeze(e: ts.Expression): boolean {
  return (
    ts.isCallExpression(e) &&
    ts.isPropertyAccessExpression(e.expression) &&
    e.expression.expression.getText() === 'Object' &&
    e.expression.name.text === 'freeze'
  );
}

/** Why an initialiser makes mutable state, or null when it does not. */
function mutableInit(e: ts.Expression, declared: ts.TypeNode | undefined): string | null {
  if (isReadonlyType(declared)) return null;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else if (ts.isAsExpression(e) || ts.isTypeAssertionExpression(e)) {
      const t = e.type;
      if (ts.isTypeReferenceNode(t) && t.typeName.getText() === 'const') return null;
      if (isReadonlyType(t)) return null;
      e = e.expression;
    } else break;
  }
  if (isObjectFreeze(e)) return null;
  if (ts.isNewExpression(e)) return `new ${e.expression.getText()}`;
  if (ts.isArrayLiteralExpression(e)) return 'an array literal';
  if (ts.isObjectLiteralExpression(e)) return 'an object literal';
  return null;
}

/** How the allowlist names a top-level statement: `<call f.g>`, `<assign a.b>`, or `<ForOfStatement>`. */
function statementName(st: ts.Statement, sf: ts.SourceFile): string {
  if (ts.isExpressionStatement(st)) {
    let e = st.expression;
    while (ts.isParenthesizedExpression(e) || ts.isVoidExpression(e)) e = e.expression;
    if (ts.isCallExpression(e)) return `<call ${e.expression.getText(sf)}>`;
    if (
      ts.isBinaryExpression(e) &&
      e.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      e.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    )
      return `<assign ${e.left.getText(sf)}>`;
    return `<${e.getText(sf)}>`;
  }
  return `<${ts.SyntaxKind[st.kind]}>`;
}

function lint(path: string): Finding[] {
  return lintSource(ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true), relative(ROOT, path));
}

function lintSource(sf: ts.SourceFile, file: string): Finding[] {
  const out: Finding[] = [];
  const at = (n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) {
      const flags = st.declarationList.flags;
      const isConst = (flags & ts.NodeFlags.Const) !== 0;
      for (const d of st.declarationList.declarations) {
        const name = d.name.getText(sf);
        if (!isConst) {
          out.push({ file, name, line: at(d), what: `top-level ${flags & ts.NodeFlags.Let ? 'let' : 'var'}` });
          continue;
        }
        const why = d.initializer ? mutableInit(d.initializer, d.type) : null;
        if (why) out.push({ file, name, line: at(d), what: `top-level const initialised with ${why}` });
      }
    } else if (ts.isClassDeclaration(st)) {
      for (const m of st.members) {
        if (!ts.isPropertyDeclaration(m) && !ts.isClassStaticBlockDeclaration(m)) continue;
        if (ts.isClassStaticBlockDeclaration(m)) {
          out.push({ file, name: `${st.name?.text ?? '<class>'}.<static block>`, line: at(m), what: 'a static initialisation block' });
          continue;
        }
        const mods = m.modifiers ?? [];
        if (!mods.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
        const name = `${st.name?.text ?? '<class>'}.${m.name.getText(sf)}`;
        if (!mods.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword))
          out.push({ file, name, line: at(m), what: 'a static property that is not readonly' });
        else {
          const why = m.initializer ? mutableInit(m.initializer, m.type) : null;
          if (why) out.push({ file, name, line: at(m), what: `a static property initialised with ${why}` });
        }
      }
    } else if (
      !ts.isImportDeclaration(st) &&
      !ts.isImportEqualsDeclaration(st) &&
      !ts.isExportDeclaration(st) &&
      !ts.isFunctionDeclaration(st) &&
      !ts.isInterfaceDeclaration(st) &&
      !ts.isTypeAliasDeclaration(st) &&
      !ts.isEnumDeclaration(st) &&
      !ts.isModuleDeclaration(st) &&
      !ts.isEmptyStatement(st)
    ) {
      out.push({ file, name: statementName(st, sf), line: at(st), what: `top-level code: ${st.getText(sf).split('\n')[0]}` });
    }
  }
  return out;
}

describe('no module-level mutable state under src/kernel', () => {
  const findings = kernelFiles(KERNEL).flatMap(lint);

  it('every top-level binding is immutable, or allowed with a reason', () => {
    const bad = findings.filter((f) => ALLOWED[f.file]?.[f.name] === undefined).map((f) => `${f.file}:${f.line} ${f.name}: ${f.what}`);
    expect(bad).toEqual([]);
  });

  it('the allowlist names only what is still there', () => {
    const stale: string[] = [];
    for (const [file, names] of Object.entries(ALLOWED)) {
      for (const name of Object.keys(names)) if (!findings.some((f) => f.file === file && f.name === name)) stale.push(`${file} ${name}`);
    }
    expect(stale).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const src = [
      'let a = 1;',
      'var b = 2;',
      'const m = new WeakMap<object, number>();',
      'const l: number[] = [];',
      'const o = { n: 0 };',
      'm.set({}, 1);',
      'const ok1 = [1, 2] as const;',
      'const ok2: readonly number[] = [1, 2];',
      'const ok3: ReadonlyMap<string, number> = new Map();',
      'const ok4 = Object.freeze({ a: 1 });',
      'const ok5 = (x: number): number => x + 1;',
      'const ok6 = Object.fromEntries([]) as { readonly [k: string]: number };',
      'class C { static n = 0; static readonly s = new Set(); static readonly k = 1; }',
    ].join('\n');
    const names = lintSource(ts.createSourceFile('x.ts', src, ts.ScriptTarget.Latest, true), 'x.ts').map((f) => f.name);
    expect(names).toEqual(['a', 'b', 'm', 'l', 'o', '<call m.set>', 'C.n', 'C.s']);
  });
});
