import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkImports, importGraphOf, readImportGraph, type Violation } from '../../scripts/import-rules/check';
import { LAYERS, layerLine } from '../../scripts/import-rules/layers';

const ROOT = path.join(__dirname, '..', '..');

/** Checks an in-memory tree: path → source text (other files, such as CSS, as empty strings). */
function check(tree: Record<string, string>): Violation[] {
  const sources = new Map(Object.entries(tree).filter(([file]) => file.endsWith('.ts')));
  return checkImports(importGraphOf(sources, (file) => file in tree));
}

const kinds = (violations: Violation[]) => violations.map((v) => v.kind);

/** A small tree that keeps every rule: two concerns with faces, one above the other, and a test of each kind. */
const GOOD: Record<string, string> = {
  'functions/alerts/index.ts': "export { view } from './view';",
  'functions/alerts/view.ts': "import { line } from './text';\nexport const view = () => line;",
  'functions/alerts/text.ts': 'export const line = 1;',
  'functions/chat/index.ts': "export { render } from './render';",
  'functions/chat/render.ts':
    "import { view } from '../alerts';\nimport type { Logger } from '../observability';\nexport const render = view;",
  'functions/observability/index.ts': 'export type Logger = object;',
  'functions/handlers/notify.ts': "import { render } from '../chat';\nexport const handler = render;",
  'test/functions/alerts/view.test.ts': "import { view } from '../../../functions/alerts/view';",
  'test/functions/handlers/notify.test.ts': "import { handler } from '../../../functions/handlers/notify';",
  'test/integration/spy.test.ts': "import * as text from '../../functions/alerts/text';\njest.spyOn(text, 'line');",
  'bench/page.ts': "import './page.css';\nimport { render } from '../functions/chat';",
  'bench/page.css': '',
};

describe('the import-rules check', () => {
  it('passes a tree that keeps the rules, reading imports, re-exports, requires and CSS', () => {
    const graph = importGraphOf(new Map(Object.entries(GOOD).filter(([f]) => f.endsWith('.ts'))), (f) => f in GOOD);
    expect(graph.edges).toHaveLength(11);
    expect(checkImports(graph)).toEqual([]);
  });

  it("reports an import of another concern's private file, by import, re-export, require, import() and import type", () => {
    const violations = check({
      ...GOOD,
      'functions/chat/a.ts': "import { line } from '../alerts/text';",
      'functions/chat/b.ts': "export { view } from '../alerts/view';",
      'functions/chat/c.ts': "const t = require('../alerts/text');",
      'functions/chat/d.ts': "const v = () => import('../alerts/view');",
      'functions/chat/e.ts': "type V = typeof import('../alerts/view');",
    });
    expect(kinds(violations)).toEqual(['private', 'private', 'private', 'private', 'private']);
    expect(violations[0]!.message).toBe(
      'functions/chat/a.ts:1 imports functions/alerts/text.ts, private to alerts/: import it from ' +
        'functions/alerts/index.ts (export it there if other concerns need it)',
    );
  });

  it("reports a test that imports another concern's internals, but not a module it spies on", () => {
    const violations = check({
      ...GOOD,
      'test/integration/relay.test.ts': "import { view } from '../../functions/alerts/view';",
      'test/integration/all.test.ts': "import * as view from '../../functions/alerts/view';\nObject.keys(view);",
      'test/functions/chat/render.test.ts': "import { line } from '../../../functions/alerts/text';",
    });
    expect(violations.map((v) => v.message.split(' ')[0])).toEqual([
      'test/integration/relay.test.ts:1',
      'test/integration/all.test.ts:1',
      'test/functions/chat/render.test.ts:1',
    ]);
  });

  it('reports an import of a concern without a face, and a concern that lacks one', () => {
    const { 'functions/observability/index.ts': _, ...withoutFace } = GOOD;
    const violations = check({
      ...withoutFace,
      'functions/observability/logger.ts': 'export type Logger = object;',
      'functions/chat/render.ts': "import type { Logger } from '../observability/logger';",
      'lib/stack.ts': "import { handler } from '../functions/handlers/notify';",
    });
    expect(violations.map((v) => [v.kind, v.message.split(':')[0]])).toEqual([
      ['no-face', 'functions/observability/ has no index.ts'],
      ['private', 'functions/chat/render.ts'],
      ['private', 'lib/stack.ts'],
    ]);
    expect(violations[2]!.message).toContain('handlers/ has no face');
  });

  it('reports an import that runs up the layer order, and a folder the order does not place', () => {
    const violations = check({
      ...GOOD,
      'functions/alerts/text.ts': "import { deliver } from '../delivery';\nexport const line = deliver;",
      'functions/delivery/index.ts': 'export const deliver = 1;',
      'functions/silences/index.ts': 'export const silenced = false;',
    });
    expect(kinds(violations)).toEqual(['unplaced', 'layer']);
    expect(violations[0]!.message).toContain('silences is not in the layer order');
    expect(violations[1]!.message).toBe(
      `functions/alerts/text.ts:1 imports functions/delivery/index.ts: alerts sits below delivery in the layer order (${layerLine()})`,
    );
  });

  it('places a part of a concern apart: its own file is its face, at its own layer', () => {
    const tree = {
      ...GOOD,
      'functions/chat/kinds.ts': "export const KINDS = ['a'] as const;",
      'functions/config/index.ts': "export { KINDS } from '../chat/kinds';",
    };
    expect(check(tree)).toEqual([]);
    const violations = check({ ...tree, 'functions/chat/kinds.ts': "import { render } from './render';" });
    expect(violations.map((v) => [v.kind, v.message.split(' ').slice(0, 3).join(' ')])).toEqual([
      ['private', 'functions/chat/kinds.ts:1 imports functions/chat/render.ts,'],
      ['layer', 'functions/chat/kinds.ts:1 imports functions/chat/render.ts:'],
    ]);
  });

  it('reports a circle inside a folder, through a face, and between concerns of one layer', () => {
    const inFolder = check({
      ...GOOD,
      'functions/alerts/text.ts': "import { view } from './view';\nexport const line = 1;",
    });
    expect(inFolder.map((v) => v.message)).toEqual([
      'import circle: functions/alerts/text.ts → functions/alerts/view.ts → functions/alerts/text.ts',
    ]);
    const concerns = check({
      ...GOOD,
      'functions/config/index.ts': "export { a } from './a';\nexport { b } from './b';",
      'functions/config/a.ts': "import { r } from '../routing';\nexport const a = r;",
      'functions/config/b.ts': 'export const b = 1;',
      'functions/routing/index.ts': "export { r } from './r';\nexport { s } from './s';",
      'functions/routing/r.ts': 'export const r = 1;',
      'functions/routing/s.ts': "import { b } from '../config';\nexport const s = b;",
    });
    // A face loads all it re-exports, so a circle between concerns is one between their files too.
    expect(concerns.map((v) => v.message)).toEqual([
      'import circle: functions/config/a.ts → functions/routing/index.ts → functions/routing/s.ts → ' +
        'functions/config/index.ts → functions/config/a.ts',
      'circle between concerns: config → routing → config',
    ]);
  });
});

describe('the import rules of this tree', () => {
  const graph = readImportGraph(ROOT);

  it('hold: no import past a face, against the layer order, or round a circle', () => {
    expect(checkImports(graph).map((v) => v.message)).toEqual([]);
  });

  it('are checked over the whole tree, faces included', () => {
    expect(graph.files.length).toBeGreaterThan(300);
    expect(graph.edges.length).toBeGreaterThan(1000);
    const throughFaces = graph.edges.filter((e) => /^functions\/[^/]+\/index\.ts$/.test(e.to));
    expect(throughFaces.length).toBeGreaterThan(200);
  });

  it('are those docs/layout.md states', () => {
    const units = LAYERS.flat();
    expect(new Set(units).size).toBe(units.length);
    expect(readFileSync(path.join(ROOT, 'docs', 'layout.md'), 'utf8')).toContain(layerLine());
  });
});
