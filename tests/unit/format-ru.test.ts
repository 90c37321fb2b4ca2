import { describe, expect, it } from 'vitest';
import {
  countOf,
  declineRegionName,
  formatDate,
  formatNumber,
  formatShare,
  initialsAndSurname,
  inRegion,
  nestQuotes,
  sentenceCase,
  stageMonitoring,
} from '../../functions/core/format-ru.js';

const SCHOOL = ['школа', 'школы', 'школ'] as const;

describe('Russian formatting', () => {
  it.each([
    [1, '1 школа'],
    [2, '2 школы'],
    [4, '4 школы'],
    [5, '5 школ'],
    [11, '11 школ'],
    [12, '12 школ'],
    [14, '14 школ'],
    [21, '21 школа'],
    [22, '22 школы'],
    [25, '25 школ'],
    [111, '111 школ'],
    [101, '101 школа'],
    [0, '0 школ'],
  ])('%i → %s', (n, expected) => {
    expect(countOf(n, SCHOOL)).toBe(expected);
  });

  it.each([
    ['2021-06-05', '5 июня 2021\u00a0г.'],
    ['2026-11-23', '23 ноября 2026\u00a0г.'],
    ['2027-03-01', '1 марта 2027\u00a0г.'],
  ])('date %s → %s', (iso, expected) => {
    expect(formatDate(iso)).toBe(expected);
  });

  it.each([
    [0.125, '12,5\u00a0%'],
    [1, '100\u00a0%'],
    [0, '0\u00a0%'],
    [2 / 3, '66,7\u00a0%'],
  ])('share %f → %s', (share, expected) => {
    expect(formatShare(share)).toBe(expected);
  });

  it.each([
    [12, '12'],
    [12.5, '12,5'],
    [12345.67, '12\u00a0345,7'],
    [1234, '1234'],
    [-3, '−3'],
  ])('number %f → %s', (n, expected) => {
    expect(formatNumber(n)).toBe(expected);
  });

  it('puts initials before the surname in a signature', () => {
    expect(initialsAndSurname('Иванова Мария Петровна')).toBe('М.П.\u00a0Иванова');
  });
});

describe('Russian grammar of composed texts', () => {
  it('makes the stage adjective agree with «мониторинг»', () => {
    expect(stageMonitoring('промежуточный', 'nominative')).toBe('промежуточный мониторинг');
    expect(stageMonitoring('входной', 'nominative')).toBe('входной мониторинг');
    expect(stageMonitoring('итоговый', 'genitive')).toBe('итогового мониторинга');
    expect(sentenceCase(stageMonitoring('промежуточный', 'nominative'))).toBe('Промежуточный мониторинг');
  });

  it.each([
    ['Оренбургская область', 'Оренбургской области', 'Оренбургской области'],
    ['Тульская область', 'Тульской области', 'Тульской области'],
    ['Еврейская автономная область', 'Еврейской автономной области', 'Еврейской автономной области'],
    ['Пермский край', 'Пермском крае', 'Пермского края'],
    ['Краснодарский край', 'Краснодарском крае', 'Краснодарского края'],
    ['Приморский край', 'Приморском крае', 'Приморского края'],
    ['Забайкальский край', 'Забайкальском крае', 'Забайкальского края'],
    ['Чукотский автономный округ', 'Чукотском автономном округе', 'Чукотского автономного округа'],
    ['Республика Татарстан', 'Республике Татарстан', 'Республики Татарстан'],
    ['Республика Саха (Якутия)', 'Республике Саха (Якутия)', 'Республики Саха (Якутия)'],
    ['Удмуртская Республика', 'Удмуртской Республике', 'Удмуртской Республики'],
    ['Кабардино-Балкарская Республика', 'Кабардино-Балкарской Республике', 'Кабардино-Балкарской Республики'],
  ])('declines «%s»', (name, prepositional, genitive) => {
    expect(declineRegionName(name, 'prepositional')).toBe(prepositional);
    expect(declineRegionName(name, 'genitive')).toBe(genitive);
    expect(inRegion(name)).toBe(`в ${prepositional}`);
  });

  it('names a region it cannot decline as it is written, in quotes', () => {
    expect(inRegion('Москва')).toBe('в регионе «Москва»');
    expect(inRegion('Ханты-Мансийский автономный округ — Югра')).toBe(
      'в регионе «Ханты-Мансийский автономный округ — Югра»',
    );
    expect(inRegion('Город «Новый»')).toBe('в регионе «Город „Новый“»');
  });

  it('puts „лапки“ inside «ёлочки» at every inner level', () => {
    expect(nestQuotes('Проект приказа «Об итогах мониторинга реализации проекта «500+» (промежуточный этап)»')).toBe(
      'Проект приказа «Об итогах мониторинга реализации проекта „500+“ (промежуточный этап)»',
    );
    expect(nestQuotes('«Об утверждении плана-графика («дорожной карты») проекта «500+»»')).toBe(
      '«Об утверждении плана-графика („дорожной карты“) проекта „500+“»',
    );
    expect(nestQuotes('МБОУ «Школа» и проект «500+»')).toBe('МБОУ «Школа» и проект «500+»');
    expect(nestQuotes('«А „Б «В» Б“ А»')).toBe('«А „Б „В“ Б“ А»');
    expect(nestQuotes('Справка „без внешних“')).toBe('Справка «без внешних»');
  });
});
