// Compiles apps/, libs/ and migrations/ to CommonJS under dist/, keeping the directory layout
// (apps/api/src/main.ts -> dist/apps/api/src/main.js), for the Docker image and `node dist/...`.
//
// Why swc and not tsc: tsc would need a separate emit config and keeps `@zhezi/*` imports as they
// are, which plain `node` cannot resolve. swc rewrites the tsconfig path aliases into relative
// requires (jsc.baseUrl + jsc.paths) and compiles in seconds. Type checking stays `npm run typecheck`.
//
// Usage: node tools/build.mjs [outDir]   (default: dist)
import { readFile, readdir, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, process.argv[2] ?? 'dist');
const SOURCE_DIRS = ['apps', 'libs', 'migrations'];

/** Every .ts file to ship: no tests, no declaration files. */
async function sourceFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '__tests__')
        files.push(...(await sourceFiles(path)));
    } else if (entry.name.endsWith('.ts') && !/\.(spec|test|d)\.ts$/.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/** The aliases from tsconfig.base.json, so the build never drifts from what tsc and jest see. */
async function tsconfigPaths() {
  const text = await readFile(join(root, 'tsconfig.base.json'), 'utf8');
  const { compilerOptions } = JSON.parse(text);
  return compilerOptions.paths ?? {};
}

function swcOptions(paths, filename) {
  return {
    filename,
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      // NestJS, TypeORM and the GraphQL schema builder read class names at run time.
      keepClassNames: true,
      // swc wants an absolute baseUrl; paths are then relative to it, as in tsconfig.
      baseUrl: root,
      paths,
      transform: {
        legacyDecorator: true,
        decoratorMetadata: true,
        // Matches tsconfig's useDefineForClassFields: false, so decorated entity fields
        // are not redefined as own properties that shadow TypeORM's accessors.
        useDefineForClassFields: false,
      },
    },
  };
}

async function compile(file, paths) {
  const rel = relative(root, file);
  const target = join(outDir, rel.replace(/\.ts$/, '.js'));
  const { code, map } = await swc.transformFile(file, swcOptions(paths, file));
  await mkdir(dirname(target), { recursive: true });
  const mapName = `${target.split('/').pop()}.map`;
  await writeFile(target, `${code}\n//# sourceMappingURL=${mapName}\n`);
  if (map) {
    // Point the map back at the TypeScript source relative to where the .js file lives.
    const parsed = JSON.parse(map);
    parsed.sources = [relative(dirname(target), file)];
    await writeFile(`${target}.map`, JSON.stringify(parsed));
  }
  return target;
}

async function main() {
  const started = Date.now();
  const paths = await tsconfigPaths();
  const files = (await Promise.all(SOURCE_DIRS.map((dir) => sourceFiles(join(root, dir))))).flat();
  if (files.length === 0) throw new Error(`no TypeScript sources under ${SOURCE_DIRS.join(', ')}`);
  await rm(outDir, { recursive: true, force: true });
  const outputs = [];
  for (const file of files) outputs.push(await compile(file, paths));
  // A path alias that swc did not rewrite would only fail when that module is required in production.
  const leftovers = [];
  for (const output of outputs) {
    const code = await readFile(output, 'utf8');
    if (/require\("@zhezi\//.test(code)) leftovers.push(relative(root, output));
  }
  if (leftovers.length) throw new Error(`unresolved @zhezi/* requires in: ${leftovers.join(', ')}`);
  console.log(
    `build: ${files.length} files -> ${relative(root, outDir) || '.'}/ in ${Date.now() - started} ms`,
  );
}

main().catch((error) => {
  console.error('build failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
