import { isIndicator } from './indicator.js';
import type { MonitoringIndicators } from './indicators.js';

/**
 * Adds «было / стало» to every indicator: the value at the previous stage and, for numbers, the
 * change. Schools and municipalities are matched by code; indicators absent before stay as they are.
 */
export function compareWithPrevious(
  current: MonitoringIndicators,
  previous: MonitoringIndicators,
): MonitoringIndicators {
  const compared = structuredClone(current);
  walk(compared, previous);
  compared.previous = { asOf: previous.asOf, stage: previous.stage };
  return compared;
}

function walk(node: unknown, before: unknown): void {
  if (typeof node !== 'object' || node === null || typeof before !== 'object' || before === null) return;
  if (isIndicator(node)) {
    if (!isIndicator(before)) return;
    const was = before.value;
    node.previous = was;
    if (typeof node.value === 'number' && typeof was === 'number') node.change = node.value - was;
    else if (typeof node.value === 'number' || typeof was === 'number') node.change = null;
    return;
  }
  if (Array.isArray(node)) return; // lists (overdue items, plan-graph rows) are not indicators
  for (const [key, value] of Object.entries(node)) {
    if (Object.prototype.hasOwnProperty.call(before, key)) walk(value, (before as Record<string, unknown>)[key]);
  }
}
