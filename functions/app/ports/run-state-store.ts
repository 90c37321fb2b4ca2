import { within, type OutputStore } from './output-store.js';

/**
 * Where the product keeps its own state, apart from the deliverables people open: the raw inputs
 * of a run (`inputs/`), the print records that let a rerun skip unchanged documents (`printed/`),
 * and the Drive cache of unchanged spreadsheets (`drive/`). Never linked to, so no presigned URLs.
 * The layout is in docs/architecture.md («Хранилище»).
 */
export type RunStateStore = Omit<OutputStore, 'presignedUrl'>;

/** Where run state lives in a store: under `.state/`, mirroring the place of the deliverables it belongs to. */
export function stateFor(store: OutputStore, deliverablesPrefix = ''): RunStateStore {
  return within(store, `.state/${deliverablesPrefix}`);
}
