import { join } from 'node:path';
import { build } from 'esbuild';

export interface PageAssets {
  readonly js: string;
  readonly css: string;
}

let bundled: Promise<PageAssets> | undefined;

/**
 * The page's script and style sheet, bundled from `page/` by esbuild the first time a page asks (so a relay that
 * nobody inspects pays nothing), then kept for the life of the process. Everything, Adaptive Cards included, is
 * in the bundle: the page loads nothing from anywhere else.
 */
export function pageAssets(): Promise<PageAssets> {
  bundled ??= bundlePage().catch((error: unknown) => {
    bundled = undefined;
    throw error;
  });
  return bundled;
}

async function bundlePage(): Promise<PageAssets> {
  const result = await build({
    entryPoints: { app: join(__dirname, 'page', 'main.ts') },
    bundle: true,
    write: false,
    outdir: 'inspector-out',
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = (ext: string): string => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}

/** The page: no data in it, only the shell that the script fills. `key` is hex, safe in an attribute. */
export function pageHtml(key: string): string {
  const q = `?key=${encodeURIComponent(key)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Relay inspector</title>
<link rel="icon" href="/inspector/favicon.svg${q}">
<link rel="stylesheet" href="/inspector/app.css${q}">
<script defer src="/inspector/app.js${q}"></script>
</head>
<body>
<noscript>The inspector needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;
}

/** A served icon, so the browser does not ask the relay for /favicon.ico. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0969da"/>' +
  '<path d="M4 8h8M9 5l3 3-3 3" stroke="#fff" stroke-width="2" fill="none"/></svg>';
