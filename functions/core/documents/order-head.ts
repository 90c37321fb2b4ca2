import { initialsAndSurname } from '../format-ru.js';
import type { RegistryFacts } from './registry-facts.js';

/**
 * What every order shares — issuing body, place, title, signer — and the words its clauses are
 * made of. Orders are drafts: the date and number of registration are left blank for the office
 * that signs them («____» ____________ 20___ г., № ______).
 */
export interface OrderHead {
  title: string;
  authority: string;
  place: string;
  /** Blank in a draft; the requisites partial prints the blank. */
  date: string;
  /** Blank in a draft; the requisites partial prints the blank. */
  number: string;
  signerPosition: string;
  signerName: string;
  coordinator: string;
  schoolYear: string;
}

/** A numbered clause of an order, with its sub-clauses (rendered 3.1, 3.2 …). */
export interface OrderClause {
  text: string;
  items: string[];
}

/** What every order's view holds besides its appendix. */
export interface OrderView extends OrderHead {
  preamble: string;
  clauses: OrderClause[];
}

export const PROJECT =
  'проекта адресной методической помощи общеобразовательным организациям, имеющим низкие образовательные результаты обучающихся (проект «500+»)';
export const CONTROL: OrderClause = {
  text: 'Контроль за исполнением настоящего приказа оставляю за собой.',
  items: [],
};
export const MUNICIPAL_AUTHORITIES = 'органов местного самоуправления, осуществляющих управление в сфере образования';
/** An order not yet registered, cited inside running text. */
export const BLANK_REGISTRATION = 'от ____________ № ______';

export const PEOPLE = ['человек', 'человека', 'человек'] as const;
export const MEASURES = ['мероприятие', 'мероприятия', 'мероприятий'] as const;
export const CONTRACTS = ['договор', 'договора', 'договоров'] as const;
export const PARTICIPANTS = ['школа-участник', 'школы-участника', 'школ-участников'] as const;
export const ORGANIZATIONS = [
  'общеобразовательная организация',
  'общеобразовательные организации',
  'общеобразовательных организаций',
] as const;

/**
 * The head of an order issued by the region's education authority and signed by its head; the
 * school year is the registry's unless the order is about a run (which knows its own).
 */
export function orderHead(facts: RegistryFacts, title: string, schoolYear = facts.region.schoolYear ?? ''): OrderHead {
  const region = facts.region;
  return {
    title,
    authority: region.educationAuthority ?? '',
    place: region.place ?? '',
    date: '',
    number: '',
    signerPosition: region.authorityHeadPosition ?? '',
    signerName: region.authorityHead ? initialsAndSurname(region.authorityHead) : '',
    coordinator: region.regionalCoordinator ?? '',
    schoolYear,
  };
}

export const forYear = (schoolYear: string) => (schoolYear ? ` на ${schoolYear} учебный год` : '');
export const inYear = (schoolYear: string) => (schoolYear ? ` в ${schoolYear} учебном году` : '');
export const duringYear = (schoolYear: string) =>
  schoolYear ? `в течение ${schoolYear} учебного года` : 'в течение учебного года';
export const coordinatorOf = (head: OrderHead) =>
  `Региональному координатору проекта${head.coordinator ? ` (${head.coordinator})` : ''}`;

/** A clause without sub-clauses. */
export const clause = (text: string): OrderClause => ({ text, items: [] });

/** Sub-clauses read as one sentence: «…;» between them, «.» after the last. */
export function punctuated(items: string[]): string[] {
  return items.map((item, index) => `${item}${index === items.length - 1 ? '.' : ';'}`);
}

/** Consecutive runs of items with the same key, in order: [[key, items], …]. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups: [string, T[]][] = [];
  for (const item of items) {
    const k = key(item);
    const last = groups[groups.length - 1];
    if (last && last[0] === k) last[1].push(item);
    else groups.push([k, [item]]);
  }
  return groups;
}
