import type { RunStateStore } from './ports/run-state-store.js';

/**
 * Another delivery of the same message holds the work: this one stops without doing it. Pub/Sub
 * delivers at least once, and two deliveries may run at the same time; the holder finishes the work.
 */
export class WorkHeld extends Error {
  override readonly name = 'WorkHeld';
}

/** Digits of a lease attempt's number: zero-padded, so that the names sort as the numbers do. */
const DIGITS = 8;

/** One attempt to take a lease, as kept in `leases/<name>/<n>.json`. */
interface LeaseRecord {
  takenAt: string;
  until: string;
}

/** When a kept attempt runs out, ms; NaN (never live) for one that vanished or cannot be read. */
function untilOf(bytes: Uint8Array | undefined): number {
  try {
    const record = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LeaseRecord>;
    return Date.parse(record.until ?? '');
  } catch {
    return NaN;
  }
}

/**
 * Runs `work` under a lease `name` in `state` unless another live holder has it (then WorkHeld).
 *
 * Built on create-once alone, which every store has: the attempts are files `leases/<name>/<n>.json`.
 * A caller reads the newest; if there is none or it has run out, it creates the next number — of
 * callers that saw the same newest attempt, create lets exactly one win. Nothing is released after
 * `work` done: the caller's done-markers say so. Work that fails gives its lease up; a holder that
 * died runs out by itself after `seconds`.
 */
export async function underLease<T>(
  state: RunStateStore,
  name: string,
  options: { now: () => Date; seconds: number },
  work: () => Promise<T>,
): Promise<T> {
  const folder = `leases/${name}/`;
  const attempts = (await state.list(folder)).filter((p) => /^\d+\.json$/.test(p.slice(folder.length)));
  const newest = attempts.at(-1);
  const now = options.now();
  let next = 1;
  if (newest !== undefined) {
    next = Number(newest.slice(folder.length, -'.json'.length)) + 1;
    const until = untilOf(await state.read(newest));
    if (until > now.getTime()) {
      throw new WorkHeld(
        `Работу «${name}» уже выполняет другая доставка: её аренда до ${new Date(until).toISOString()}.`,
      );
    }
  }
  const record: LeaseRecord = {
    takenAt: now.toISOString(),
    until: new Date(now.getTime() + options.seconds * 1000).toISOString(),
  };
  const key = `${folder}${String(next).padStart(DIGITS, '0')}.json`;
  const taken = await state.create(key, `${JSON.stringify(record)}\n`);
  if (!taken) throw new WorkHeld(`Работу «${name}» только что взяла другая доставка.`);
  try {
    return await work();
  } catch (error) {
    // The work failed here: the lease is given up at once (only its holder writes its attempt), so the
    // redelivered message may try again without waiting for it to run out.
    const released: LeaseRecord = { takenAt: record.takenAt, until: record.takenAt };
    await state.write(key, `${JSON.stringify(released)}\n`).catch(() => undefined);
    throw error;
  }
}
