/**
 * The import rules of docs/layout.md, as data: test/scripts/import-rules.test.ts checks the tree against them and
 * checks that docs/layout.md states the same order.
 */

/**
 * The layers, top first: a folder imports from its own layer and the layers below it, never from one above. A name is
 * a concern under `functions/`, a top-level folder (`lib`, `bin`, `bench`, `scripts`, `test`), or a part of a concern
 * placed apart from it (`chat/kinds`: the platform names, which config/ reads), whose face is its own file.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['bin', 'bench', 'scripts', 'test'],
  ['handlers', 'cli', 'local', 'lib'],
  ['ingest', 'delivery', 'health', 'interactivity'],
  ['sending'],
  ['chat'],
  ['alerts', 'archive'],
  ['aws', 'paubox', 'config', 'routing', 'reports'],
  ['observability', 'files', 'chat/kinds'],
];

/** The folders whose TypeScript the rules cover. */
export const CHECKED_FOLDERS = ['functions', 'lib', 'bin', 'bench', 'scripts', 'test'] as const;

/**
 * Faces besides each concern's `index.ts`: a part that must not load with the rest of its concern has one of its own,
 * as a package offers a subpath export.
 */
export const EXTRA_FACES: Readonly<Record<string, string>> = {
  'functions/reports/local/index.ts': 'DuckDB and the SQL files read from disk, which no Lambda may carry',
  'functions/chat/previews/index.ts':
    'browser code rendering platform bodies (with adaptivecards), which no Lambda may carry',
};

/**
 * Concerns without a face: nothing imports them. Their files are entry points, named by path (the Lambda handlers in
 * lib/bundling.ts).
 */
export const FACELESS_CONCERNS: readonly string[] = ['handlers'];

/** The order as docs/layout.md writes it: `a, b → c → …`. */
export function layerLine(layers: readonly (readonly string[])[] = LAYERS): string {
  return layers.map((layer) => layer.join(', ')).join(' → ');
}
