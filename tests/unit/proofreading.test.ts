import { describe, expect, it } from 'vitest';
import { HEADING, htmlProofText, proofread } from '../support/proofreading.js';

/** The checks that find something in a text. */
const checks = (text: string) => [...new Set(proofread(text).map((f) => f.check))];

describe('the proofreader of the documents’ texts', () => {
  it('passes correct Russian: abbreviations, initials, sub-clauses, „nested“ quotes, agreeing stage words', () => {
    const text = [
      `${HEADING}1. Участники`,
      'В проекте 6 школ-участников; 6 школ представили таблицы мониторинга.',
      'Приказ от 5 июня 2021 г. принят, см. п. 4 и т. д. подписал Е.А. Кузнецова.',
      '3. Руководителям школ устранить недостатки:',
      '3.1. завершить выполнение мероприятий;',
      'Проект приказа «Об итогах мониторинга реализации проекта „500+“ (промежуточный этап)».',
      'По итогам промежуточного этапа мониторинга; промежуточный мониторинг; провести итоговый этап; о входном мониторинге.',
      'Код документа M500-be7a86c7a950, файл validation.json.',
    ].join('\n');
    expect(proofread(text)).toEqual([]);
  });

  it.each([
    ['a missing value', 'Охват анкетирования undefined %', 'пропущенное значение'],
    ['NaN', 'Доля NaN %', 'пропущенное значение'],
    ['an object', 'Куратор [object Object]', 'пропущенное значение'],
    [
      'a Latin «а» in a Russian word',
      'Школа перешла в эффективный режим (Latin a: рeжим)',
      'латинская буква в русском слове',
    ],
    ['a Latin «С» in «СОШ»', 'МБОУ «Ефимовская CОШ»', 'латинская буква в русском слове'],
    ['a sentence in small letters', 'Данные получены. таблица школы прочитана.', 'предложение со строчной буквы'],
    [
      'a section in small letters',
      `${HEADING}9. Качество данных\nтаблица школы прочитана.`,
      'раздел со строчной буквы',
    ],
    [
      'ёлочки inside ёлочки',
      'Проект приказа «Об итогах реализации проекта «500+»»',
      'ёлочки внутри ёлочек (нужны „лапки“)',
    ],
    ['лапки outside', 'Проект „500+“', '„лапки“ снаружи (нужны «ёлочки»)'],
    ['a quote left open', 'Проект «500+ начат.', 'незакрытая кавычка'],
    ['a quote closed twice', 'Проект «500+»» начат.', 'закрывающая кавычка без открывающей'],
    [
      '«Промежуточного мониторинг»',
      'Промежуточного мониторинг по состоянию на 20 ноября',
      'прилагательное этапа не согласовано',
    ],
    ['a doubled full stop', 'Срок — до 31 августа 2027 г..', 'двойная точка'],
    ['«итоговый этапа»', 'по итогам итоговый этапа мониторинга', 'прилагательное этапа не согласовано'],
  ])('finds %s', (_, text, check) => {
    expect(checks(text)).toContain(check);
  });

  it('reads an index page as a line per block, headings marked', () => {
    const text = htmlProofText(
      '<html><head><title>Мониторинг</title><style>h1{}</style></head><body><h1>Итоги</h1><p>итоги &quot;A&quot;</p><ul><li>один</li></ul></body></html>',
    );
    expect(text.split('\n')).toEqual(['Мониторинг', `${HEADING}Итоги`, 'итоги "A"', 'один']);
    expect(checks(text)).toContain('раздел со строчной буквы');
  });
});
