import tseslint from 'typescript-eslint';

// The layers (docs/architecture.md), as import rules:
//   functions/core      pure: imports only the core (its subfolders included);
//   functions/app       the use cases and stages of a run: the core, the ports, render/ — no adapter, no entry point;
//   functions/app/ports the interfaces of the outside world: import only the core;
//   functions/adapters  one folder per outside system: the core, the ports, errors.ts and adapters/shared
//                       only — never another adapter;
//   entry points        (cli, http-validate, http-render, scheduled-run) never import each other;
//   nothing outside tests/ imports tests/ (the benchmarks live in tests/bench: they measure against the test doubles).
const NO_TESTS = { regex: '(^|/)tests/', message: 'Nothing outside tests imports tests.' };

/** no-restricted-imports with these patterns, plus the one every source file has. */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: [...patterns, NO_TESTS] }] });

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'functions/core/tab-types.generated.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits loses its failure; a promise where a value is expected is always truthy.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['functions/**/*.ts', 'scripts/**/*.ts'],
    rules: restrict(),
  },
  // The core is pure: no outside systems, no environment, nothing outside functions/core.
  ...[
    ['functions/core/*.ts', '^\\.\\./'],
    ['functions/core/*/**/*.ts', '^\\.\\./\\.\\./'],
  ].map(([files, outside]) => ({
    files: [files],
    rules: {
      ...restrict(
        {
          group: ['node:*', 'fs', 'path', 'exceljs', 'puppeteer-core', '@sparticuz/*', '@aws-sdk/*', '@googleapis/*'],
          message: 'functions/core is pure: pass data in, do I/O in adapters.',
        },
        { regex: outside, message: 'functions/core is pure: it imports only the core.' },
      ),
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Configuration is parsed once in functions/config.ts.' },
      ],
    },
  })),
  {
    files: ['functions/app/ports/**/*.ts'],
    rules: restrict({
      regex: '^\\.\\./(?!\\.\\./core/)',
      message: 'functions/app/ports holds the interfaces of the outside world: it imports only the core.',
    }),
  },
  {
    files: ['functions/app/*.ts'],
    rules: restrict({
      regex:
        '^\\.\\./(adapters/|(cli|index|cloud-entry|http-validate|http-render|scheduled-run|region-ports|registry-source|output-location)\\.js$)',
      message: 'functions/app works through its ports: it imports no adapter and no entry point.',
    }),
  },
  {
    files: ['functions/adapters/**/*.ts'],
    rules: restrict(
      {
        regex: '^\\.\\./(?!shared/)[^./][^/]*/',
        message: 'An adapter imports no other adapter (adapters/shared holds what they share).',
      },
      {
        regex: '^\\.\\./\\.\\./(?!core/|app/ports/|errors\\.js$)',
        message: 'An adapter imports the core, the ports and errors.ts only.',
      },
    ),
  },
  {
    // index.ts and cloud-entry.ts are the cloud's composition roots: they alone import the handlers.
    files: ['functions/http-validate.ts', 'functions/http-render.ts', 'functions/scheduled-run.ts', 'functions/cli.ts'],
    rules: restrict({
      regex: '^\\./(http-validate|http-render|scheduled-run|cli|index|cloud-entry)\\.js$',
      message:
        'Entry points do not import each other: share through the core and the application layer (functions/app).',
    }),
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
