// Bundles the app with esbuild: src/main.ts (+ lazily loaded chunks), the silent sign-in callback
// and the stylesheet, then writes index.html and silent-callback.html pointing at the
// content-hashed files. `--outdir=DIR` (Maven passes
// target/classes/META-INF/resources); `--tests` bundles test/*.test.ts for node's test runner.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { join, basename } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? true];
}));

if (args.tests) {
  const outdir = 'target/test-bundle';
  rmSync(outdir, { recursive: true, force: true });
  const tests = readdirSync('test').filter((f) => f.endsWith('.test.ts')).map((f) => join('test', f));
  await esbuild.build({
    entryPoints: tests, bundle: true, platform: 'node', format: 'esm', outdir,
    outExtension: { '.js': '.mjs' }, logLevel: 'warning',
  });
  process.exit(0);
}

const outdir = args.outdir ?? 'target/classes/META-INF/resources';
rmSync(join(outdir, 'assets'), { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const result = await esbuild.build({
  entryPoints: ['src/main.ts', 'src/auth/silent-callback.ts', 'src/styles.css'],
  bundle: true,
  splitting: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  outdir: join(outdir, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[name]-[hash]',
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.entries(result.metafile.outputs);
const entry = (source) => outputs.find(([, o]) => o.entryPoint === source)?.[0];
const page = (template, script, style) => writeFileSync(join(outdir, template),
  readFileSync(join('src', template), 'utf8')
    .replace('%SCRIPT%', `assets/${basename(entry(script))}`)
    .replace('%STYLE%', style ? `assets/${basename(entry(style))}` : ''));
page('index.html', 'src/main.ts', 'src/styles.css');
// Where Keycloak sends the hidden renewal iframe back to: hands the answer to the app, nothing else.
page('silent-callback.html', 'src/auth/silent-callback.ts');

// What each file weighs, so a heavy dependency shows up in the build log.
let total = 0;
for (const [file, o] of outputs) {
  if (file.endsWith('.map') || file.endsWith('.LEGAL.txt')) continue;
  total += o.bytes;
  if (o.entryPoint || o.bytes > 50_000) console.log(`  ${basename(file).padEnd(48)} ${(o.bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`  web-ui bundle: ${(total / 1024).toFixed(1)} KiB in ${outputs.length} files -> ${outdir}`);
