// The layers' one rule (issue 15), checked over every import and re-export
// statement of src/: userspace reaches the kernel only through its user API
// (src/kernel/uapi) and types; the kernel never reaches up into userspace,
// the CLI or the web view; the wire layer and the engine stay pure; the web
// view uses no CLI internals and no test fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');

interface Import {
  /** The importing file, relative to the repo root. */
  from: string;
  /** The imported file, relative to the repo root ('' for a package). */
  to: string;
  spec: string;
  /** Only types cross (`import type`, or every specifier is `type X`). */
  typeOnly: boolean;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): Import[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean): void => {
    const to = spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec)) : '';
    out.push({ from: relative(ROOT, file), to, spec, typeOnly });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly ||
          (c.name === undefined &&
            c.namedBindings !== undefined &&
            ts.isNamedImports(c.namedBindings) &&
            c.namedBindings.elements.length > 0 &&
            c.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(n.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const typeOnly =
        n.isTypeOnly ||
        (n.exportClause !== undefined &&
          ts.isNamedExports(n.exportClause) &&
          n.exportClause.elements.length > 0 &&
          n.exportClause.elements.every((e) => e.isTypeOnly));
      add(n.moduleSpecifier.text, typeOnly);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const a = n.arguments[0];
      if (a && ts.isStringLiteral(a)) add(a.text, false);
    } else if (ts.isImportTypeNode(n)) {
      const a = n.argument;
      if (ts.isLiteralTypeNode(a) && ts.isStringLiteral(a.literal)) add(a.literal.text, true);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const ALL = files(SRC).flatMap(importsOf);
const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);
const show = (i: Import): string => `${i.from} -> ${i.spec}${i.typeOnly ? ' (types)' : ''}`;

describe('layers', () => {
  it('userspace imports kernel values only from src/kernel/uapi', () => {
    const bad = ALL.filter(
      (i) => under(i.from, 'src/userspace') && under(i.to, 'src/kernel') && !under(i.to, 'src/kernel/uapi') && !i.typeOnly,
    );
    const importers = new Set(ALL.filter((i) => under(i.from, 'src/userspace') && under(i.to, 'src/kernel')).map((i) => i.from));
    const valueImporters = new Set(
      ALL.filter((i) => under(i.from, 'src/userspace') && under(i.to, 'src/kernel') && !i.typeOnly).map((i) => i.from),
    );
    console.log(
      `userspace files importing the kernel: ${importers.size} (values: ${valueImporters.size}, all through src/kernel/uapi when this passes)`,
    );
    expect(bad.map(show)).toEqual([]);
  });

  it('userspace never imports the machine, the CLI or the web view', () => {
    const bad = ALL.filter(
      (i) => under(i.from, 'src/userspace') && ['src/machine', 'src/cli', 'src/ui', 'test'].some((d) => under(i.to, d)),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it('the kernel never imports userspace, the CLI or the web view', () => {
    const bad = ALL.filter(
      (i) => under(i.from, 'src/kernel') && ['src/userspace', 'src/machine', 'src/cli', 'src/ui', 'test'].some((d) => under(i.to, d)),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it('wire is pure bytes and the engine knows no kernel', () => {
    const bad = ALL.filter(
      (i) =>
        (under(i.from, 'src/wire') && i.to !== '' && !under(i.to, 'src/wire')) ||
        (under(i.from, 'src/sim') && ['src/kernel', 'src/userspace', 'src/machine', 'src/cli', 'src/ui'].some((d) => under(i.to, d))),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it('the web view uses no CLI internals and no test fixtures', () => {
    const bad = ALL.filter((i) => under(i.from, 'src/ui') && (under(i.to, 'src/cli') || under(i.to, 'test')));
    expect(bad.map(show)).toEqual([]);
  });

  it('nothing in src imports node: modules outside the CLI', () => {
    const bad = ALL.filter((i) => i.spec.startsWith('node:') && !under(i.from, 'src/cli'));
    expect(bad.map(show)).toEqual([]);
  });
});
