// Builds the dashboard: src/main.ts (+ CSS) bundled by esbuild, index.html copied.
//   node build.mjs [--outdir=DIR] [--dev]     (default DIR: dist)
// CMake passes its own --outdir so that several build trees never share one.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
let outdir = path.join(here, 'dist');
let dev = false;
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith('--outdir=')) outdir = path.resolve(arg.slice('--outdir='.length));
  else if (arg === '--dev') dev = true;
  else {
    console.error(`build.mjs: unknown argument ${arg}`);
    process.exit(2);
  }
}

// Start clean: whatever is in outdir gets embedded into the binary.
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { app: path.join(here, 'src/main.ts') },
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  format: 'iife',
  target: ['es2020'],
  outdir,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'favicon.svg']) {
  await copyFile(path.join(here, 'src', file), path.join(outdir, file));
}
