/**
 * The layer rules of docs/architecture.md are lint rules that `npm test` runs (eslint.config.js):
 * a planted import across a layer fails them, with a message saying what the rule is.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { root } from '../support/run-cli.js';

/** The project's own configuration, without the rules that need the type checker (the files are virtual). */
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules, checked by npm test', () => {
  it.each([
    ['functions/core/planted.ts', "import { readFile } from 'node:fs/promises';", 'functions/core is pure'],
    [
      'functions/core/planted.ts',
      "import { monitoringRules } from '../monitoring-rules.js';",
      'functions/core is pure',
    ],
    [
      'functions/core/documents/planted.ts',
      "import type { RunPorts } from '../../app/run.js';",
      'functions/core is pure',
    ],
    [
      'functions/app/ports/planted.ts',
      "import type { GoogleClients } from '../../adapters/google/sheets-source.js';",
      'imports only the core',
    ],
    [
      'functions/app/run-region.ts',
      "import { createChromiumPdfRenderer } from '../adapters/chromium/pdf-renderer.js';",
      'imports no adapter and no entry point',
    ],
    ['functions/app/run-region.ts', "import { cliMain } from '../cli.js';", 'imports no adapter and no entry point'],
    [
      'functions/adapters/xlsx/planted.ts',
      "import { googleRefusal } from '../google/refusal.js';",
      'imports no other adapter',
    ],
    [
      'functions/adapters/google/planted.ts',
      "import { runMonitoring } from '../../app/run-region.js';",
      'the core, the ports and errors.ts only',
    ],
    [
      'functions/http-render.ts',
      "import { doWork } from './scheduled-run.js';",
      'Entry points do not import each other',
    ],
    [
      'functions/cli.ts',
      "import { validateHandler } from './http-validate.js';",
      'Entry points do not import each other',
    ],
    [
      'functions/cli.ts',
      "import { startFakeGoogleApis } from '../tests/support/fake-google/index.js';",
      'Nothing outside tests imports tests',
    ],
  ])('%s: «%s» is refused', async (file, source, rule) => {
    const messages = await restricted(file, `${source}\nexport const planted = 1;\n`);
    expect(messages.join('\n')).toContain(rule);
  });

  it.each([
    ['functions/core/planted.ts', "import { textKey } from './text-key.js';"],
    ['functions/core/documents/planted.ts', "import { countOf } from '../format-ru.js';"],
    ['functions/app/ports/planted.ts', "import type { RawWorkbook } from '../../core/raw-workbook.js';"],
    ['functions/app/run-region.ts', "import { documentHtml } from '../render/document-html.js';"],
    ['functions/adapters/xlsx/planted.ts', "import { withRetry } from '../shared/retry.js';"],
    ['functions/adapters/google/planted.ts', "import type { OutputStore } from '../../app/ports/output-store.js';"],
    ['functions/adapters/s3/planted.ts', "import { InfrastructureError } from '../../errors.js';"],
    ['functions/http-render.ts', "import { printDocument } from './app/print-document.js';"],
  ])('%s: «%s» is allowed', async (file, source) => {
    expect(await restricted(file, `${source}\nexport const planted = 1;\n`)).toEqual([]);
  });
});
