import { availableParallelism } from 'node:os';
import { UsageError } from './errors.js';

/** Settings that come from the environment; nothing else reads process.env. */
export interface Config {
  /** MONITOR500_CHROMIUM_PATH: a Chromium binary to use instead of the bundled @sparticuz/chromium. */
  chromiumPath: string | undefined;
  /** MONITOR500_RENDER_TIMEOUT_MS: upper bound for printing one PDF (default 60 000). */
  renderTimeoutMs: number;
  /** MONITOR500_RENDER_CONCURRENCY: pages printing at once (default: the machine's cores, at most 4). */
  renderConcurrency: number;
}

/** Parses and checks the environment once, at the edge. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const timeout = env.MONITOR500_RENDER_TIMEOUT_MS ?? '60000';
  const renderTimeoutMs = Number(timeout);
  if (!Number.isInteger(renderTimeoutMs) || renderTimeoutMs < 1000) {
    throw new UsageError(
      `MONITOR500_RENDER_TIMEOUT_MS должно быть целым числом миллисекунд не меньше 1000, а задано «${timeout}».`,
    );
  }
  const concurrencyText = env.MONITOR500_RENDER_CONCURRENCY ?? String(Math.min(4, availableParallelism()));
  const renderConcurrency = Number(concurrencyText);
  if (!Number.isInteger(renderConcurrency) || renderConcurrency < 1 || renderConcurrency > 32) {
    throw new UsageError(
      `MONITOR500_RENDER_CONCURRENCY должно быть целым числом от 1 до 32, а задано «${concurrencyText}».`,
    );
  }
  return { chromiumPath: env.MONITOR500_CHROMIUM_PATH || undefined, renderTimeoutMs, renderConcurrency };
}
