import { expect } from 'vitest';
import type { OrderClause } from '../../functions/core/documents/order-head.js';
import type { RegistryFacts } from '../../functions/core/documents/registry-facts.js';
import type { SchoolsRow } from '../../functions/core/tab-types.generated.js';

/** What the order tests share: the fixture region's registry facts and two checks. */
export const NB = '\u00a0';
export const CONTROL = 'Контроль за исполнением настоящего приказа оставляю за собой.';

export const school = (code: string, name: string, municipalityCode: string, participant = true): SchoolsRow => ({
  code,
  name,
  municipalityCode,
  locality: 'сельская',
  participant,
});

/** The fixture region's registry (tests/support/fixture-region.ts), written out by hand. */
export const facts: RegistryFacts = {
  region: {
    subject: 'Условная область',
    educationAuthority: 'Министерство образования Условной области',
    authorityHead: 'Иванова Мария Петровна',
    authorityHeadPosition: 'Министр образования Условной области',
    regionalCoordinator: 'ГАУ ДПО «Институт развития образования»',
    place: 'г. Условный',
    schoolYear: '2026/2027',
  },
  municipalities: [
    {
      code: 'МО-01',
      name: 'Северный район',
      educationAuthority: 'Отдел образования Северного района',
      head: 'Петров П.П.',
      coordinator: 'Сидорова С.С.',
    },
    {
      code: 'МО-02',
      name: 'Южный район',
      educationAuthority: 'Отдел образования Южного района',
      head: 'Кузнецов К.К.',
      coordinator: 'Орлова О.О.',
    },
  ],
  schools: [
    school('01-001', 'МБОУ «Школа А»', 'МО-01'),
    school('01-002', 'МБОУ «Школа Б»', 'МО-01'),
    school('02-001', 'МБОУ «Школа В»', 'МО-02'),
    school('02-002', 'МАОУ «Гимназия Г»', 'МО-02', false),
  ],
};

export const texts = (clauses: OrderClause[]) => clauses.map((c) => [c.text, ...c.items].join(' '));

/** Every value a template prints is text already: nothing undefined, null or NaN leaks into it. */
export function expectPrintable(view: object) {
  expect(JSON.stringify(view)).not.toMatch(/undefined|null|NaN|\[object/);
}
