// Import-boundary rules, checked by `npm run lint` (house rules 13 and 14 in STYLE.md; issue #12).
//
// The graph is the runtime one: `tsPreCompilationDeps: false` lets TypeScript drop type-only
// imports (and imports used only as types) before the imports are read, so `import type` across
// a boundary never counts. The rules are about what code loads what code.
//
// Violations that exist today are recorded in `.dependency-cruiser-known-violations.json` and
// ignored (`--ignore-known`); any new one fails lint. The redesign of issue #12 shrinks that file
// to empty; regenerate it only when it shrinks: `npm run lint:deps:baseline`.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-server-domain-cycles',
      comment:
        'Folders under src/server import each other in one direction only. A domain that needs ' +
        'something from a domain above it is a sign the thing belongs lower (a shared type, a ' +
        'kernel helper in src/server/core) or that the caller is in the wrong place.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/server/[^/]+' },
      to: { path: '^src/server/[^/]+', circular: true },
    },
    {
      name: 'components-no-server-runtime',
      comment:
        'src/components runs in the browser (or renders on the server without owning data): it ' +
        'may import types from src/server (`import type`), never its runtime code. Data comes ' +
        'from the API or from the page (a server component) as props.',
      severity: 'error',
      from: { path: '^src/components/', pathNot: '\.test\.tsx?$' },
      to: { path: '^src/server/' },
    },
    {
      name: 'app-no-database',
      comment:
        'Routes and pages are adapters: they call a service, never the database. No ' +
        'src/server/db and no drizzle-orm under src/app.',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: ['^src/server/db(/|$)', '^node_modules/drizzle-orm/'] },
    },
    {
      name: 'packages-no-app',
      comment:
        'packages/* (protocol, worker) are published on their own and sit below the app: they ' +
        'never import from src/.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^src/' },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^packages/[^/]+/dist/', '^\\.next/', '^data/'] },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
