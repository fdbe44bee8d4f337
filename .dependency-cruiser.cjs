/**
 * The layers of src/, checked by `npm run check` (dependency-cruiser): a module may import its own
 * layer and the layers below it, never one above, and no import cycle is allowed, type-only imports
 * included. docs/concepts.md ("Source layers") explains them; test/layers/layers.test.ts proves that
 * an upward import and a cycle fail the check.
 *
 *   cli → runtime, sources → kinds → reconcile → aws, api, domain, telemetry → core
 *
 * The emulator is a test and demo backend beside the engine: it may use the lower layers, and only
 * the CLI (`--emulator`) may start it.
 */
const LAYERS = [
  ['core'],
  ['aws', 'api', 'domain', 'telemetry'],
  ['reconcile'],
  ['kinds'],
  ['runtime', 'sources', 'emulator'],
  ['cli'],
];

const folders = (names) => `^src/(${names.join('|')})/`;

const upward = LAYERS.flatMap((layer, rank) => {
  const above = LAYERS.slice(rank + 1).flat();
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${layer.join('-')}`,
      comment: `${layer.join(', ')} may import only ${LAYERS.slice(0, rank + 1).flat().join(', ')}: ${above.join(', ')} are above it`,
      severity: 'error',
      from: { path: folders(layer) },
      to: { path: folders(above) },
    },
  ];
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'core-is-a-leaf',
      comment: 'src/core imports nothing else from src/',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'emulator-only-from-cli',
      comment: 'the emulator is a backend for tests and `--emulator`: only the CLI starts it',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(emulator|cli)/' },
      to: { path: '^src/emulator/' },
    },
    {
      name: 'no-circular',
      comment: 'modules must not import each other, directly or through others',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'an import that does not resolve is an error, not a silently missing edge',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are edges too: a type cycle ties modules together as much as a value one.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
