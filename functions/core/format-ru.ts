/** Russian formatting of what users read: numbers, percents, dates, plurals. */

const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

/** "1 школа", "2 школы", "5 школ": picks the form for n from [one, few, many]. */
export function plural(n: number, forms: readonly [string, string, string]): string {
  const abs = Math.abs(Math.trunc(n));
  const mod10 = abs % 10;
  const mod100 = abs % 100;
  if (!Number.isInteger(n)) return forms[1];
  if (mod10 === 1 && mod100 !== 11) return forms[0];
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
  return forms[2];
}

/** "5 школ": the number and its noun in agreement. */
export function countOf(n: number, forms: readonly [string, string, string]): string {
  return `${formatNumber(n)} ${plural(n, forms)}`;
}

/** 1234.5 → "1 234,5"; at most `digits` decimals, trailing zeros dropped. */
export function formatNumber(n: number, digits = 1): string {
  const fixed = Math.abs(n).toFixed(digits);
  const [whole = '0', fraction = ''] = fixed.split('.');
  const grouped = whole.length > 4 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0') : whole;
  const trimmed = fraction.replace(/0+$/, '');
  const sign = n < 0 && Number(fixed) !== 0 ? '−' : '';
  return sign + grouped + (trimmed ? `,${trimmed}` : '');
}

/** A share 0–1 as "12,5 %" (narrow no-break space before the sign). */
export function formatShare(share: number, digits = 1): string {
  return `${formatNumber(share * 100, digits)}\u00a0%`;
}

/** ISO date "2021-06-05" → "5 июня 2021 г.". */
export function formatDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day} ${MONTHS_GENITIVE[(month ?? 1) - 1]} ${year}\u00a0г.`;
}

/** ISO date "2021-06-05" → "05.06.2021". */
export function formatDateShort(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}.${month}.${year}`;
}

/** "Иванова Мария Петровна" → "М.П. Иванова" (signature blocks of orders). */
export function initialsAndSurname(fullName: string): string {
  const parts = fullName.trim().split(/\s+/);
  if (parts.length < 2) return fullName.trim();
  const [surname, ...names] = parts;
  return `${names.map((n) => `${n.charAt(0)}.`).join('')}\u00a0${surname}`;
}

/** An indicator's value as a person reads it: "12,5 %", "7", "да", or "нет данных". */
export function formatIndicatorValue(
  value: number | boolean | null | undefined,
  unit: 'share' | 'count' | 'bool',
): string {
  if (value === null || value === undefined) return 'нет данных';
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  return unit === 'share' ? formatShare(value) : formatNumber(value);
}

/** «входного», «промежуточного», «итогового»: the stage as in «по результатам … мониторинга». */
export function stageGenitive(stage: 'входной' | 'промежуточный' | 'итоговый'): string {
  return { входной: 'входного', промежуточный: 'промежуточного', итоговый: 'итогового' }[stage];
}

/** «входной мониторинг», «промежуточного мониторинга»: the stage adjective agreeing with «мониторинг». */
export function stageMonitoring(
  stage: 'входной' | 'промежуточный' | 'итоговый',
  grammaticalCase: 'nominative' | 'genitive',
): string {
  return grammaticalCase === 'nominative' ? `${stage} мониторинг` : `${stageGenitive(stage)} мониторинга`;
}

/** A text with its first letter in upper case (a sentence or a section that starts with a value). */
export function sentenceCase(text: string): string {
  return text.replace(/^\s*\p{Ll}/u, (c) => c.toUpperCase());
}

/**
 * Quotes nested as Russian typography wants them: «ёлочки» outside, „лапки“ inside — whatever the
 * parts of a composed text brought: «Проект приказа «Об итогах … «500+» …»» becomes
 * «Проект приказа «Об итогах … „500+“ …»» at every depth below the first.
 */
export function nestQuotes(text: string): string {
  let depth = 0;
  let out = '';
  for (const c of text) {
    if (c === '«' || c === '„') {
      out += depth === 0 ? '«' : '„';
      depth += 1;
    } else if ((c === '»' || c === '“') && depth > 0) {
      depth -= 1;
      out += depth === 0 ? '»' : '“';
    } else out += c;
  }
  return out;
}

/** The head words of a region's name and their forms after «в» (prepositional) and in the genitive. */
const REGION_NOUNS: Record<string, { prepositional: string; genitive: string; gender: 'f' | 'm' }> = {
  область: { prepositional: 'области', genitive: 'области', gender: 'f' },
  край: { prepositional: 'крае', genitive: 'края', gender: 'm' },
  округ: { prepositional: 'округе', genitive: 'округа', gender: 'm' },
  республика: { prepositional: 'Республике', genitive: 'Республики', gender: 'f' },
};

/** An adjective before the head word in the case asked: «Оренбургская» → «Оренбургской», «Пермский» → «Пермском». */
function declineAdjective(
  word: string,
  gender: 'f' | 'm',
  grammaticalCase: 'prepositional' | 'genitive',
): string | undefined {
  // In a hyphenated adjective («Ханты-Мансийский») only the last part changes.
  const match = /^(.*?)(ая|яя|ий|ый|ой)$/u.exec(word);
  if (!match) return undefined;
  const [, stem = '', ending] = match;
  if (gender === 'f') {
    if (ending === 'ая') return `${stem}ой`;
    if (ending === 'яя') return `${stem}ей`;
    return undefined;
  }
  if (ending === 'ая' || ending === 'яя') return undefined;
  // After к, г, х, ж, ш, ч, щ, ц the soft ending is written: «Краснодарском», «Забайкальском».
  const soft = ending === 'ий' && !/[кгхжшчщц]$/u.test(stem);
  if (grammaticalCase === 'prepositional') return `${stem}${soft ? 'ем' : 'ом'}`;
  return `${stem}${soft ? 'его' : 'ого'}`;
}

/**
 * A region's name in the prepositional or genitive case for the common patterns of subjects of the
 * Russian Federation — «Оренбургская область» → «Оренбургской области», «Пермский край» →
 * «Пермском крае», «Республика Татарстан» → «Республике Татарстан», «Чукотский автономный округ» →
 * «Чукотском автономном округе» — or undefined when the name is not one of them.
 */
export function declineRegionName(name: string, grammaticalCase: 'prepositional' | 'genitive'): string | undefined {
  const words = name.trim().split(/\s+/);
  const headIndex = words.findIndex((w) => REGION_NOUNS[w.toLowerCase()] !== undefined);
  if (headIndex < 0) return undefined;
  const head = REGION_NOUNS[words[headIndex]!.toLowerCase()]!;
  const headWord = words[headIndex]!;
  // «Республика Татарстан»: the words after the head word keep their form.
  if (headIndex === 0)
    return words.length > 1 && headWord.toLowerCase() === 'республика'
      ? [head[grammaticalCase], ...words.slice(1)].join(' ')
      : undefined;
  // «Удмуртская Республика», «Оренбургская область»: adjectives, then the head word, nothing after it.
  if (headIndex !== words.length - 1) return undefined;
  const adjectives = words.slice(0, headIndex).map((w) => declineAdjective(w, head.gender, grammaticalCase));
  if (adjectives.some((w) => w === undefined)) return undefined;
  const noun = head[grammaticalCase];
  const headForm = /^\p{Lu}/u.test(headWord) ? noun.charAt(0).toUpperCase() + noun.slice(1) : noun.toLowerCase();
  return [...(adjectives as string[]), headForm].join(' ');
}

/** «в Оренбургской области»; a name the declension does not know: «в регионе «Москва»». */
export function inRegion(name: string): string {
  const declined = declineRegionName(name, 'prepositional');
  return declined ? `в ${declined}` : nestQuotes(`в регионе «${name.trim()}»`);
}
