import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'functions/core/tab-types.generated.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['functions/core/**/*.ts'],
    rules: {
      // The core is pure: no outside systems, no environment.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
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
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Configuration is parsed once in functions/config.ts.' },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
