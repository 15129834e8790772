/**
 * The layers of src/, imports pointing one way only (down), checked by `npm test`:
 *
 *   entry points   main, worker, client, simulate, console/, cli/, simulation/
 *        ↓
 *   back office    backoffice/   (what the console and the CLI share: commands, billing runs, ledger client)
 *        ↓
 *   infra          infra/        (platform plumbing: connection, codec, data converter, dev server, metrics)
 *        ↓
 *   workflows  ·  activities     (siblings: an activity reaches a workflow only through the interface modules
 *        ↓                        below — its activity interface and the contract's message definitions)
 *   base           settings.ts, files.ts   (settings and the project's files; no Temporal, no layer above)
 *        ↓
 *   domain         domain/       (pure: no I/O, no Temporal, nothing above it)
 *
 * Workflows run in the workflow sandbox: besides the domain (and its pure libraries), only @temporalio/workflow
 * and @temporalio/common.
 * No circular dependency anywhere, and no exception list: a new wrong arrow fails `npm test`.
 */

/** The modules of a workflow that other layers may import: the activity interfaces it declares, its messages and its bulk shapes. */
const WORKFLOW_INTERFACES = [
  '^src/workflows/[^/]+-activities\\.ts$',
  '^src/workflows/contract/activities\\.ts$',
  '^src/workflows/contract/messages\\.ts$',
  '^src/workflows/bulk\\.ts$',
];
/** The pure libraries the domain may use (and so the workflow sandbox too). */
const PURE_LIBRARIES = '^node_modules/(zod|decimal\\.js|@holiday-jp/holiday_jp)/';
const ENTRY_POINTS = '^src/(main|worker|client|simulate)\\.ts$|^src/(console|cli|simulation)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or moved alone.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'The domain (src/domain) imports only itself and pure libraries: no layer above, no Node I/O, no Temporal.',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', PURE_LIBRARIES] },
    },
    {
      name: 'base-below-temporal',
      severity: 'error',
      comment: 'settings.ts and files.ts sit just above the domain: every layer may read them, they read no layer above.',
      from: { path: '^src/(settings|files)\\.ts$' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/(settings|files)\\.ts$'] },
    },
    {
      name: 'workflows-in-sandbox',
      severity: 'error',
      comment: 'Workflow code is deterministic and bundled into the sandbox: only the domain, itself and the workflow-side SDK.',
      from: { path: '^src/workflows/' },
      to: {
        pathNot: ['^src/domain/', '^src/workflows/', PURE_LIBRARIES, '^node_modules/@temporalio/(workflow|common)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflows-no-layer-above',
      severity: 'error',
      comment: 'Not even a type from activities, infra, the back office or an entry point.',
      from: { path: '^src/workflows/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/workflows/'] },
    },
    {
      name: 'activities-see-workflow-interfaces-only',
      severity: 'error',
      comment: 'Activities and workflows are siblings: an activity reaches a workflow by its interface modules (its activity interface, the contract messages), never its code.',
      from: { path: '^src/activities/' },
      to: { path: '^src/workflows/', pathNot: WORKFLOW_INTERFACES },
    },
    {
      name: 'activities-below-infra',
      severity: 'error',
      comment: 'Activities read only the domain, the base (settings, files), workflow interfaces and themselves.',
      from: { path: '^src/activities/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/(settings|files)\\.ts$', '^src/workflows/', '^src/activities/'] },
    },
    {
      name: 'infra-below-backoffice',
      severity: 'error',
      comment: 'infra is platform plumbing: it never imports the back office or an entry point.',
      from: { path: '^src/infra/' },
      to: { path: ['^src/backoffice/', ENTRY_POINTS] },
    },
    {
      name: 'backoffice-below-entry-points',
      severity: 'error',
      comment: 'The back office serves the console and the CLI; it imports neither, nor any other entry point.',
      from: { path: '^src/backoffice/' },
      to: { path: ENTRY_POINTS },
    },
    {
      name: 'entry-points-through-backoffice',
      severity: 'error',
      comment: 'The console and the CLI reach the ledger and the activities through the back office, never directly.',
      from: { path: '^src/(console|cli)/' },
      to: { path: '^src/activities/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], mainFields: ['module', 'main', 'types', 'typings'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
