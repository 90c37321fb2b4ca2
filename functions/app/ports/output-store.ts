/** Where a run puts what it produces. */
export interface OutputStore {
  /** Writes a file at a relative path; a reader never sees half a file. */
  write(relativePath: string, data: Uint8Array | string): Promise<void>;
  /**
   * Writes a file only where there is none yet, atomically against every other caller (other
   * processes and machines included): of concurrent creates of one path exactly one resolves true,
   * the others false, and the file holds the winner's bytes whole. The one primitive that lets two
   * deliveries of one message agree on who does the work (`app/lease.ts`).
   */
  create(relativePath: string, data: Uint8Array | string): Promise<boolean>;
  /** Reads a file written before; undefined when there is none. */
  read(relativePath: string): Promise<Uint8Array | undefined>;
  /** Relative paths of every file whose path starts with `prefix` ("" for all), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes a file; one that is not there counts as removed. */
  remove(relativePath: string): Promise<void>;
  /** A link that downloads the file for `seconds` without credentials, where the store can make one (S3). */
  presignedUrl?(relativePath: string, seconds: number): Promise<string>;
}

/** Pretty JSON with a final newline, as every JSON file of a run is stored. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A JSON file written before, parsed; undefined when there is none. */
export async function readJson<T>(store: Pick<OutputStore, 'read'>, relativePath: string): Promise<T | undefined> {
  const bytes = await store.read(relativePath);
  return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
}

/** The part of a store under `prefix` ("runs/2026-11-20/"), as a store of its own. */
export function within(store: OutputStore, prefix: string): OutputStore {
  const inner: OutputStore = {
    read: (relativePath) => store.read(`${prefix}${relativePath}`),
    write: (relativePath, data) => store.write(`${prefix}${relativePath}`, data),
    create: (relativePath, data) => store.create(`${prefix}${relativePath}`, data),
    list: async (start) => (await store.list(`${prefix}${start}`)).map((p) => p.slice(prefix.length)),
    remove: (relativePath) => store.remove(`${prefix}${relativePath}`),
  };
  const presign = store.presignedUrl?.bind(store);
  if (presign) inner.presignedUrl = (relativePath, seconds) => presign(`${prefix}${relativePath}`, seconds);
  return inner;
}
