import { describe, it, expect } from 'vitest';
import { judgeTarget, parseActual, parseTarget, type Actual, type Target } from '../../functions/core/target.js';

describe('parseTarget: measurable', () => {
  it.each<[string, '>=' | '=' | '<=', number, 'percent' | 'count']>([
    ['Не менее 90% требуемых респондентов участвовали', '>=', 90, 'percent'],
    ['Не менее 50 консультаций', '>=', 50, 'count'],
    ['Не менее 10 совещаний', '>=', 10, 'count'],
    ['100% школ-участников приняли участие в мероприятии', '=', 100, 'percent'],
    ['Отчет (уровень удовлетворенности не ниже 80 %)', '>=', 80, 'percent'],
    ['Разработано не менее 3 ДПП ПК', '>=', 3, 'count'],
    ['не более 5 %', '<=', 5, 'percent'],
    ['не выше 5%', '<=', 5, 'percent'],
    ['не больше 2 замечаний', '<=', 2, 'count'],
    ['до 5 % отказов', '<=', 5, 'percent'],
    ['максимум 3 выезда', '<=', 3, 'count'],
    ['не менее 12,5 %', '>=', 12.5, 'percent'],
    ['не менее 12.5%', '>=', 12.5, 'percent'],
    ['от 3 мероприятий', '>=', 3, 'count'],
    ['минимум 2 семинара', '>=', 2, 'count'],
    ['как минимум 4 встречи', '>=', 4, 'count'],
    ['не меньше 60 % педагогов', '>=', 60, 'percent'],
    ['не менее чем 75% школ', '>=', 75, 'percent'],
    ['НЕ МЕНЕЕ 3-х мероприятий', '>=', 3, 'count'],
    ['не менее 1 000 участников', '>=', 1000, 'count'],
    ['охват 85 процентов педагогов', '=', 85, 'percent'],
    ['≥ 90%', '>=', 90, 'percent'],
    ['Приказ от 15.05.2021 № 744, не менее 70 % школ', '>=', 70, 'percent'],
    ['В 2021 году не менее 20 школ проекта «500+»', '>=', 20, 'count'],
    // a bare planned number (seed 001, «Прогнозируемый результат»): met when reached or exceeded
    ['10', '>=', 10, 'count'],
    [' 3 ', '>=', 3, 'count'],
    ['12,5', '>=', 12.5, 'count'],
    ['1 000', '>=', 1000, 'count'],
    ['100%', '=', 100, 'percent'],
  ])('%j → %s %d %s', (text, comparator, value, unit) => {
    expect(parseTarget(text)).toEqual({ kind: 'measurable', comparator, value, unit, text });
  });
});

describe('parseTarget: text', () => {
  it.each([
    'Приказ Департамента',
    'Сайт',
    'Аналитическая справка',
    'Приказ от 15.05.2021 № 744',
    'в 2021 году',
    'Участие в проекте «500+»',
    '500+',
    'до 15.05.2021',
    'отчет до 10 числа',
    'до 25 мая',
    'Программа ПК-3',
    '95-100%',
    'более 80%',
    'Проведено 5 семинаров',
    'ШСНОР - 5 ШФНСУ - 2',
    '10 команд (60 человек)',
    '30 (по 3 в каждой школе)',
    '15.05.2021',
    '',
  ])('%j', (text) => {
    expect(parseTarget(text)).toEqual({ kind: 'text', text });
  });
});

describe('parseActual', () => {
  it.each<[string | number | null | undefined, Actual]>([
    ['95%', { kind: 'number', value: 95, unit: 'percent' }],
    ['95 %', { kind: 'number', value: 95, unit: 'percent' }],
    ['95,5 %', { kind: 'number', value: 95.5, unit: 'percent' }],
    ['52', { kind: 'number', value: 52, unit: 'count' }],
    [52, { kind: 'number', value: 52, unit: 'count' }],
    [0, { kind: 'number', value: 0, unit: 'count' }],
    ['52 консультации', { kind: 'number', value: 52, unit: 'count' }],
    ['проведено 12 совещаний', { kind: 'number', value: 12, unit: 'count' }],
    ['в 2021 году проведено 3 семинара', { kind: 'number', value: 3, unit: 'count' }],
    ['выполнено', { kind: 'text', text: 'выполнено' }],
    ['Приказ от 15.05.2021 № 744', { kind: 'text', text: 'Приказ от 15.05.2021 № 744' }],
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    [null, { kind: 'empty' }],
    [undefined, { kind: 'empty' }],
    [Number.NaN, { kind: 'empty' }],
  ])('%j', (value, actual) => {
    expect(parseActual(value)).toEqual(actual);
  });
});

describe('judgeTarget', () => {
  const atLeast90: Target = parseTarget('Не менее 90% респондентов');
  const atLeast50: Target = parseTarget('Не менее 50 консультаций');
  const atMost5: Target = parseTarget('не более 5 %');
  const all: Target = parseTarget('100% школ');
  const words: Target = parseTarget('Приказ Департамента');

  it.each<[string, Target, string | number | null, string | undefined, string]>([
    ['percent met', atLeast90, '95 %', 'выполнено', 'achieved'],
    ['percent exactly met', atLeast90, '90%', 'в работе', 'achieved'],
    ['percent missed', atLeast90, '85,5 %', 'выполнено', 'not_achieved'],
    ['bare number as percent', atLeast90, '92', undefined, 'achieved'],
    ['bare number below percent', atLeast90, 89, undefined, 'not_achieved'],
    ['count met', atLeast50, '52 консультации', 'выполнено', 'achieved'],
    ['count missed', atLeast50, 'проведено 12 совещаний', 'выполнено', 'not_achieved'],
    ['bare plan figure exceeded', parseTarget('10'), '12', undefined, 'achieved'],
    ['bare plan figure missed', parseTarget('10'), 9, undefined, 'not_achieved'],
    ['count vs percent actual', atLeast50, '95 %', 'выполнено', 'not_measurable'],
    ['at most met', atMost5, '3 %', undefined, 'achieved'],
    ['at most missed', atMost5, '7%', undefined, 'not_achieved'],
    ['equal met', all, '100 %', undefined, 'achieved'],
    ['equal missed', all, '98 %', undefined, 'not_achieved'],
    ['actual in words', atLeast90, 'выполнено', 'выполнено', 'not_measurable'],
    ['actual empty', atLeast90, '', 'выполнено', 'not_measurable'],
    ['actual empty, not done', atLeast90, null, 'в работе', 'not_measurable'],
    ['words target done', words, '', 'выполнено', 'achieved'],
    ['words target done, other spelling', words, 'да', ' Выполнено ', 'achieved'],
    ['words target in progress', words, '', 'в работе', 'not_measurable'],
    ['words target no status', words, '', undefined, 'not_measurable'],
  ])('%s', (_name, target, actual, status, verdict) => {
    expect(judgeTarget(target, parseActual(actual), status)).toBe(verdict);
  });
});
