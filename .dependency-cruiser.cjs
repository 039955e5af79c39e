/** Layering rules from ARCHITECTURE.md §2. `npm run layers` fails the build on any violation. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'shared/core imports nothing outside itself (node:crypto only, for deterministic hashing).',
      severity: 'error',
      from: { path: '^shared/core/' },
      to: { pathNot: ['^shared/core/', '^node:crypto$', '^crypto$'] },
    },
    {
      name: 'app-uses-core-and-ports-only',
      comment: 'Use cases orchestrate ports; they never reach an adapter, config or an SDK.',
      severity: 'error',
      from: { path: '^shared/app/' },
      to: { pathNot: ['^shared/app/', '^shared/core/', '^shared/ports/'] },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { pathNot: ['^shared/ports/', '^shared/core/'] },
    },
    {
      name: 'functions-go-through-composition',
      comment: 'Triggers build adapters only via shared/composition.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^shared/adapters/' },
    },
    {
      name: 'sim-is-independent',
      comment: "The simulator is Graph's side of the contract: it shares no code with shared/.",
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: '^(shared|functions|cli)/' },
    },
    {
      name: 'shared-does-not-know-sim-or-cli',
      severity: 'error',
      from: { path: '^(shared|functions)/' },
      to: { path: '^(sim|cli|test|bench)/' },
    },
    {
      name: 'only-config-reads-env',
      comment: 'Checked by test/unit/layering.test.ts (process.env is not an import).',
      severity: 'error',
      from: { path: '^shared/core/' },
      to: { path: '^node:(fs|http|https|net|child_process|os|process)$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    exclude: { path: '(^dist/|^node_modules/)' },
  },
};
