// Bundles the widget and the console into ../build/web (served at /web/static/).
// Usage: node build.mjs   (after `npm ci`); every script the pages load comes from here.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = resolve(here, '..', 'build', 'web');
const common = { bundle: true, minify: true, sourcemap: 'external', target: ['es2020'], logLevel: 'info', outdir };

await mkdir(outdir, { recursive: true });
await Promise.all([
  // The widget carries its styles as text, for its shadow root: one script to embed.
  esbuild.build({ ...common, entryPoints: { widget: resolve(here, 'src/widget.js') }, format: 'iife', loader: { '.css': 'text' } }),
  esbuild.build({ ...common, entryPoints: { console: resolve(here, 'src/console.js') }, format: 'iife' }),
  esbuild.build({ ...common, entryPoints: { console: resolve(here, 'src/console.css'), demo: resolve(here, 'src/demo.css') } }),
]);
