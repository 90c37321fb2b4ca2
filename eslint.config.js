import tseslint from 'typescript-eslint';

// The layers (docs/architecture.md), as import rules:
//   functions/core      pure: imports only the core;
//   functions/ports     the interfaces of the outside world: import only the core;
//   functions/adapters  one folder per outside system: the core, the ports, errors.ts and adapters/shared
//                       only — never another adapter;
//   handlers            (http-validate, http-render, scheduled-run) never import each other;
//   nothing outside tests/ (and bench/, which measures against the test doubles) imports tests/.
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
  {
    files: ['functions/core/**/*.ts'],
    rules: {
      // The core is pure: no outside systems, no environment.
      ...restrict({
        group: [
          'node:*',
          'fs',
          'path',
          'exceljs',
          'puppeteer-core',
          '@sparticuz/*',
          '@aws-sdk/*',
          '@googleapis/*',
          '../adapters/*',
          '../*',
        ],
        message: 'functions/core is pure: pass data in, do I/O in adapters.',
      }),
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Configuration is parsed once in functions/config.ts.' },
      ],
    },
  },
  {
    files: ['functions/ports/**/*.ts'],
    rules: restrict({
      regex: '^\\.\\./(?!core/)',
      message: 'functions/ports holds the interfaces of the outside world: it imports only the core.',
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
        regex: '^\\.\\./\\.\\./(?!core/|ports/|errors\\.js$)',
        message: 'An adapter imports the core, the ports and errors.ts only.',
      },
    ),
  },
  {
    files: ['functions/http-validate.ts', 'functions/http-render.ts', 'functions/scheduled-run.ts'],
    rules: restrict({
      regex: '^\\./(http-validate|http-render|scheduled-run|cli|index|cloud-entry)\\.js$',
      message: 'Entry points do not import each other: share through the core, the ports or run-monitoring.',
    }),
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
