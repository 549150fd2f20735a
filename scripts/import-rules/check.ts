import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CHECKED_FOLDERS, EXTRA_FACES, FACELESS_CONCERNS, LAYERS, layerLine } from './layers';

/** One relative import, require or `import()` between two files of the tree (paths relative to its root, with `/`). */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
  readonly line: number;
  /** `import * as m` of a module the file spies on with `jest.spyOn(m, …)`: how a test reaches its own binding. */
  readonly spied: boolean;
}

export interface ImportGraph {
  /** The TypeScript files read. */
  readonly files: readonly string[];
  readonly edges: readonly ImportEdge[];
}

export interface ImportRules {
  readonly layers: readonly (readonly string[])[];
  readonly extraFaces: readonly string[];
  readonly facelessConcerns: readonly string[];
}

export const PROJECT_RULES: ImportRules = {
  layers: LAYERS,
  extraFaces: Object.keys(EXTRA_FACES),
  facelessConcerns: FACELESS_CONCERNS,
};

export type ViolationKind = 'private' | 'layer' | 'circle' | 'unplaced' | 'no-face';

export interface Violation {
  readonly kind: ViolationKind;
  readonly message: string;
}

function specifiersOf(file: string, text: string): { spec: string; line: number; spied: boolean }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: { spec: string; line: number; spied: boolean }[] = [];
  const add = (literal: ts.Node, spied = false) => {
    if (!ts.isStringLiteralLike(literal)) return;
    found.push({
      spec: literal.text,
      line: source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1,
      spied,
    });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const bindings = node.importClause?.namedBindings;
      const spied =
        bindings !== undefined && ts.isNamespaceImport(bindings) && text.includes(`jest.spyOn(${bindings.name.text},`);
      add(node.moduleSpecifier, spied);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.arguments[0] !== undefined) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
        add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function resolve(from: string, spec: string, exists: (file: string) => boolean): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return [`${base}.ts`, `${base}/index.ts`, base].find(exists);
}

/** The import graph of the given sources (path → text); `exists` tells which paths are files, of any kind. */
export function importGraphOf(sources: ReadonlyMap<string, string>, exists: (file: string) => boolean): ImportGraph {
  const edges: ImportEdge[] = [];
  for (const [from, text] of sources) {
    for (const { spec, line, spied } of specifiersOf(from, text)) {
      const to = resolve(from, spec, exists);
      if (to !== undefined && to !== from) edges.push({ from, to, line, spied });
    }
  }
  return { files: [...sources.keys()], edges };
}

function listFiles(root: string, dir: string, out: string[]): string[] {
  if (!existsSync(path.join(root, dir))) return out;
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'cdk.out') listFiles(root, relative, out);
    } else out.push(relative);
  }
  return out;
}

/** The import graph of the project's TypeScript under `root`. */
export function readImportGraph(root: string, folders: readonly string[] = CHECKED_FOLDERS): ImportGraph {
  const all = folders.flatMap((folder) => listFiles(root, folder, []));
  const present = new Set(all);
  const sources = new Map(
    all
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => [f, readFileSync(path.join(root, f), 'utf8')]),
  );
  return importGraphOf(sources, (file) => present.has(file));
}

/**
 * The unit a file belongs to: a part of a concern that the layer order places on its own (`chat/kinds`), else its
 * concern under `functions/`, else its top-level folder.
 */
export function unitOfIn(file: string, parts: readonly string[] = []): string {
  const part = parts.find((p) => file === `functions/${p}.ts` || file.startsWith(`functions/${p}/`));
  if (part !== undefined) return part;
  const segments = file.split('/');
  return segments[0] === 'functions' && segments.length > 2 ? segments[1]! : segments[0]!;
}

/** Whose internals a file may import: a test under `test/functions/<concern>/` is its concern's. */
function ownerOf(file: string, parts: readonly string[]): string {
  const segments = file.split('/');
  return segments[0] === 'test' && segments[1] === 'functions' && segments.length > 3
    ? segments[2]!
    : unitOfIn(file, parts);
}

/** The face of a unit: its index.ts, or the file itself for a part that is one file. */
const facesOf = (unit: string) => [`functions/${unit}/index.ts`, `functions/${unit}.ts`];

const isConcernFile = (file: string) => file.startsWith('functions/') && file.split('/').length > 2;

/** Strongly connected components of more than one node (Tarjan), each as one circle through all of them it can find. */
function circles(nodes: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  return components.map((component) => circleThrough(component, next));
}

/** A shortest path from the component's first node (sorted) back to itself, inside the component. */
function circleThrough(component: string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const w of next.get(node) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = node; at !== start; at = cameFrom.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(w)) {
        cameFrom.set(w, node);
        queue.push(w);
      }
    }
  }
  return [...component, component[0]!];
}

function adjacency(edges: readonly { from: string; to: string }[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const list = next.get(from) ?? next.set(from, []).get(from)!;
    if (!list.includes(to)) list.push(to);
  }
  return next;
}

/** Every import that breaks the rules: past a face, against the layer order, or round a circle. */
export function checkImports(graph: ImportGraph, rules: ImportRules = PROJECT_RULES): Violation[] {
  const violations: Violation[] = [];
  const layerOf = new Map(rules.layers.flatMap((layer, i) => layer.map((unit) => [unit, i] as const)));
  const parts = rules.layers.flat().filter((unit) => unit.includes('/'));
  const unitOf = (file: string) => unitOfIn(file, parts);
  const order = layerLine(rules.layers);
  const units = new Set(graph.files.map(unitOf));
  for (const unit of [...units].sort()) {
    if (!layerOf.has(unit))
      violations.push({
        kind: 'unplaced',
        message: `${unit} is not in the layer order (${order}): add it to LAYERS in scripts/import-rules/layers.ts and to docs/layout.md`,
      });
  }
  const concerns = new Set(graph.files.filter(isConcernFile).map(unitOf));
  for (const concern of [...concerns].sort()) {
    if (!rules.facelessConcerns.includes(concern) && !facesOf(concern).some((face) => graph.files.includes(face)))
      violations.push({
        kind: 'no-face',
        message: `functions/${concern}/ has no index.ts: export from it what other concerns may use`,
      });
  }
  const isFace = (file: string) =>
    rules.extraFaces.includes(file) ||
    (facesOf(unitOf(file)).includes(file) && !rules.facelessConcerns.includes(unitOf(file)));
  for (const edge of graph.edges) {
    const at = `${edge.from}:${edge.line}`;
    const target = unitOf(edge.to);
    if (isConcernFile(edge.to) && ownerOf(edge.from, parts) !== target && !isFace(edge.to)) {
      if (!(edge.spied && edge.from.startsWith('test/')))
        violations.push({
          kind: 'private',
          message: rules.facelessConcerns.includes(target)
            ? `${at} imports ${edge.to}: ${target}/ has no face, nothing outside it may import it`
            : `${at} imports ${edge.to}, private to ${target}/: import it from functions/${target}/index.ts (export it there if other concerns need it)`,
        });
    }
    const fromLayer = layerOf.get(unitOf(edge.from));
    const toLayer = layerOf.get(target);
    if (fromLayer !== undefined && toLayer !== undefined && fromLayer > toLayer)
      violations.push({
        kind: 'layer',
        message: `${at} imports ${edge.to}: ${unitOf(edge.from)} sits below ${target} in the layer order (${order})`,
      });
  }
  const next = adjacency(graph.edges);
  for (const circle of circles(graph.files, next))
    violations.push({ kind: 'circle', message: `import circle: ${circle.join(' → ')}` });
  const concernEdges = graph.edges
    .filter((e) => isConcernFile(e.from) && isConcernFile(e.to) && unitOf(e.from) !== unitOf(e.to))
    .map((e) => ({ from: unitOf(e.from), to: unitOf(e.to) }));
  for (const circle of circles([...concerns].sort(), adjacency(concernEdges)))
    violations.push({ kind: 'circle', message: `circle between concerns: ${circle.join(' → ')}` });
  return violations;
}
