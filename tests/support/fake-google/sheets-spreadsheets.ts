/** Sheets v4 `spreadsheets.get`, `spreadsheets.batchUpdate` and `spreadsheets.create`. */
import { applyRequest } from './batch-update.js';
import { badRequest, storageRefusal } from './errors.js';
import { firstSheet } from './grid.js';
import { asArray, asObject, optString } from './json.js';
import { spreadsheetResource } from './resources.js';
import { hasStorage, sheetFor } from './rights.js';
import { newSpreadsheetId, type FakeState } from './state.js';
import type { FakeSpreadsheet, Handler } from './types.js';

export function spreadsheetsHandlers(state: FakeState): Record<string, Handler> {
  return {
    'sheets.spreadsheets.get': ({ query, params, caller }) => {
      const { ss } = sheetFor(state, params.spreadsheetId ?? '', caller, 'read');
      return [
        200,
        spreadsheetResource(ss, {
          ranges: query.getAll('ranges'),
          includeGridData: query.get('includeGridData') === 'true',
          caller: caller.email,
        }),
      ];
    },
    'sheets.spreadsheets.batchUpdate': ({ params, caller, body }) => {
      const id = params.spreadsheetId ?? '';
      const { ss, role } = sheetFor(state, id, caller, 'write');
      const b = asObject(body);
      const list = asArray(b.requests);
      if (list.length === 0) throw badRequest('Invalid requests: Must specify at least one request.');
      const ctx = state.writeContext(caller, role);
      const replies = state.atomically(ss, (draft) => list.map((r, i) => applyRequest(draft, r, i, ctx)), caller.email);
      return [
        200,
        {
          spreadsheetId: id,
          replies,
          ...(b.includeSpreadsheetInResponse === true ? { updatedSpreadsheet: spreadsheetResource(ss) } : {}),
        },
      ];
    },
    'sheets.spreadsheets.create': ({ body, caller }) => {
      if (!caller.isDefault && !hasStorage(caller)) throw storageRefusal('sheets');
      const b = asObject(body);
      const props = asObject(b.properties);
      const id = newSpreadsheetId();
      const ss: FakeSpreadsheet = {
        id,
        title: optString(props.title) ?? 'Новая таблица',
        modifiedTime: state.stamp(),
        sheets: [],
        ...(props.locale === 'en_US' || props.locale === 'ru_RU' ? { locale: props.locale } : {}),
      };
      const draft = structuredClone(ss);
      const ctx = state.writeContext(caller, 'owner');
      asArray(b.sheets).forEach((s, i) =>
        applyRequest(draft, { addSheet: { properties: asObject(asObject(s).properties) } }, i, ctx),
      );
      if (draft.sheets.length === 0) draft.sheets.push(firstSheet());
      ss.sheets = draft.sheets;
      state.spreadsheets.set(id, ss);
      state.record(id, ss.modifiedTime, true);
      if (!caller.isDefault) state.share(id, caller.email, 'owner');
      return [200, spreadsheetResource(ss)];
    },
  };
}
