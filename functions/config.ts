import { UsageError } from './errors.js';

/** Settings that come from the environment; nothing else reads process.env. */
export interface Config {
  /** MONITOR500_CHROMIUM_PATH: a Chromium binary to use instead of the bundled @sparticuz/chromium. */
  chromiumPath: string | undefined;
  /** MONITOR500_RENDER_TIMEOUT_MS: upper bound for printing one PDF (default 60 000). */
  renderTimeoutMs: number;
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
  return { chromiumPath: env.MONITOR500_CHROMIUM_PATH || undefined, renderTimeoutMs };
}
