/**
 * A proofreader for the texts users read (documents' PDF text, the run's index page): each check
 * returns findings with a little context, so a failed test says where the text went wrong.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A fault found in a text: which check, and the words around it. */
export interface Finding {
  check: string;
  context: string;
}

const around = (text: string, index: number, length = 1) =>
  text.slice(Math.max(0, index - 40), index + length + 40).replace(/\s+/g, ' ');

/** Words a program leaks when a value is missing: «undefined», «NaN», «null», «[object Object]». */
export function leakedValues(text: string): Finding[] {
  return [...text.matchAll(/\bundefined\b|\bNaN\b|\bnull\b|\[object/g)].map((m) => ({
    check: 'пропущенное значение',
    context: around(text, m.index, m[0].length),
  }));
}

/** A Latin letter inside a Cyrillic word (а/a, е/e, о/o, р/p, с/c, К/K, М/M, Т/T, Н/H, В/B…) or the other way round. */
export function mixedScripts(text: string): Finding[] {
  return [
    ...text.matchAll(/[\p{L}]*(?:\p{Script=Cyrillic}\p{Script=Latin}|\p{Script=Latin}\p{Script=Cyrillic})[\p{L}]*/gu),
  ].map((m) => ({ check: 'латинская буква в русском слове', context: around(text, m.index, m[0].length) }));
}

/** Words after which a full stop does not end the sentence: «г.», «т. д.», «п. 4», «им.», initials. */
const ABBREVIATIONS = new Set([
  'г',
  'гг',
  'т',
  'д',
  'п',
  'пп',
  'ч',
  'им',
  'ул',
  'с',
  'ст',
  'обл',
  'др',
  'см',
  'тыс',
  'млн',
  'руб',
  'чел',
  'е',
  'т.д',
  'т.п',
  'т.е',
  'н',
  'пос',
  'мин',
  'напр',
]);

/** How a text marks a heading line for these checks: «# 9. Качество данных». */
export const HEADING = '# ';

/**
 * A sentence that starts with a small letter: after a full stop (not after an abbreviation, an
 * initial or a clause number such as «3.1.», whose sub-clauses continue the clause above in small
 * letters), or as the paragraph under a heading (a line marked with HEADING).
 */
export function lowerCaseStarts(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const m of text.matchAll(/(\S+)\.[ \t\u00a0\n]+(?=[а-яё])/gu)) {
    const word = m[1]!.replace(/^[«„(]+/, '').toLowerCase();
    if (ABBREVIATIONS.has(word) || /^[\d.]+$/.test(word) || /^\p{L}$/u.test(word)) continue;
    findings.push({ check: 'предложение со строчной буквы', context: around(text, m.index, m[0].length + 10) });
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    if (line.startsWith(HEADING) && next !== undefined && /^\s*[а-яё]/.test(next))
      findings.push({
        check: 'раздел со строчной буквы',
        context: `${line.slice(HEADING.length)} ⏎ ${next.slice(0, 60)}`,
      });
  });
  return findings;
}

/**
 * Quotes: «ёлочки» outside, „лапки“ inside, every opened one closed. «…«…»…» (ёлочки inside
 * ёлочки), „…“ at the outer level, or a closing quote without its opening one are faults.
 */
export function quoteNesting(text: string): Finding[] {
  const findings: Finding[] = [];
  const open: { quote: string; index: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '«' || c === '„') {
      if (c === '«' && open.length > 0)
        findings.push({ check: 'ёлочки внутри ёлочек (нужны „лапки“)', context: around(text, i) });
      if (c === '„' && open.length === 0)
        findings.push({ check: '„лапки“ снаружи (нужны «ёлочки»)', context: around(text, i) });
      open.push({ quote: c, index: i });
    } else if (c === '»' || c === '“') {
      const last = open.pop();
      if (!last) findings.push({ check: 'закрывающая кавычка без открывающей', context: around(text, i) });
      else if ((last.quote === '«') !== (c === '»'))
        findings.push({ check: 'кавычки разного рисунка', context: around(text, i) });
    }
  }
  for (const { index } of open) findings.push({ check: 'незакрытая кавычка', context: around(text, index) });
  return findings;
}

/** Endings of the stage adjectives (входной, промежуточный, итоговый) and of the nouns they stand by, by case. */
const ADJECTIVE_CASE: [RegExp, string][] = [
  [/^(входн|промежуточн|итогов)(ой|ый)$/iu, 'именительный'],
  [/^(входн|промежуточн|итогов)ого$/iu, 'родительный'],
  [/^(входн|промежуточн|итогов)ому$/iu, 'дательный'],
  [/^(входн|промежуточн|итогов)ым$/iu, 'творительный'],
  [/^(входн|промежуточн|итогов)ом$/iu, 'предложный'],
];
const NOUN_CASE: [RegExp, string][] = [
  [/^(мониторинг|этап)$/iu, 'именительный'],
  [/^(мониторинг|этап)а$/iu, 'родительный'],
  [/^(мониторинг|этап)у$/iu, 'дательный'],
  [/^(мониторинг|этап)ом$/iu, 'творительный'],
  [/^(мониторинг|этап)е$/iu, 'предложный'],
];
const caseOf = (word: string, table: [RegExp, string][]) => table.find(([re]) => re.test(word))?.[1];

/** «Промежуточного мониторинг»: a stage adjective whose noun (мониторинг, этап) stands in another case. */
export function stageAgreement(text: string): Finding[] {
  const findings: Finding[] = [];
  const words = [...text.matchAll(/\p{L}+/gu)];
  words.forEach((word, i) => {
    const next = words[i + 1];
    if (!next || !/^\s+$/.test(text.slice(word.index + word[0].length, next.index))) return;
    const adjective = caseOf(word[0], ADJECTIVE_CASE);
    const noun = caseOf(next[0], NOUN_CASE);
    if (adjective && noun && adjective !== noun)
      findings.push({
        check: 'прилагательное этапа не согласовано',
        context: around(text, word.index, next.index + next[0].length - word.index),
      });
  });
  return findings;
}

/** «2027 г..»: a full stop doubled where a sentence ends with an abbreviation (an ellipsis is not one). */
export function doubledStops(text: string): Finding[] {
  return [...text.matchAll(/(?<!\.)\.\.(?!\.)/g)].map((m) => ({
    check: 'двойная точка',
    context: around(text, m.index, 2),
  }));
}

/** Every check over one text. */
export function proofread(text: string): Finding[] {
  return [
    ...leakedValues(text),
    ...mixedScripts(text),
    ...lowerCaseStarts(text),
    ...quoteNesting(text),
    ...doubledStops(text),
    ...stageAgreement(text),
  ];
}

/**
 * A PDF's text as its reader sees it, line by line, without the running page numbers; a numbered
 * line set wholly in a bold face («9. Качество данных» — a section heading) is marked with HEADING.
 */
export async function pdfProofText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  // The title a PDF reader shows in its window and bookmarks is read too.
  const { info } = (await pdf.getMetadata()) as { info: { Title?: string } };
  const lines: string[] = info.Title ? [info.Title] : [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    await page.getOperatorList();
    const bold = (key: string) =>
      page.commonObjs.has(key) && /bold/i.test((page.commonObjs.get(key) as { name?: string }).name ?? '');
    let line = '';
    let allBold = true;
    const pageLines: string[] = [];
    const end = () => {
      const text = line.trim();
      if (text !== '') pageLines.push((allBold && /^\d+\.\s/.test(text) ? HEADING : '') + text);
      line = '';
      allBold = true;
    };
    for (const item of content.items) {
      if (!('str' in item)) continue;
      line += item.str;
      if (item.str.trim() !== '' && !bold(item.fontName)) allBold = false;
      if (item.hasEOL) end();
    }
    end();
    // From page 2 on, the first line is the page number.
    if (n > 1 && /^\d+$/.test(pageLines[0] ?? '')) pageLines.shift();
    lines.push(...pageLines);
  }
  await pdf.destroy();
  return lines.join('\n');
}

/** The run's index page as text: a line per block (heading, paragraph, list item, table cell). */
export function htmlProofText(html: string): string {
  return (
    html
      .replace(/<head>[\s\S]*?<\/head>/i, (head) => (/<title>([\s\S]*?)<\/title>/i.exec(head)?.[1] ?? '') + '\n')
      .replace(/<h[1-6][^>]*>/gi, `\n${HEADING}`)
      // A chart's texts (SVG <text>, <title>, <desc>) and a figure's caption are lines of their own.
      .replace(/<\/?(p|li|td|th|tr|h[1-6]|ul|table|div|br|figure|figcaption|svg|text|title|desc)\b[^>]*>/gi, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&#x3D;/g, '=')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      // The charts escape with numeric references (render/charts.ts escapeXml).
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replace(/&amp;/g, '&')
      .split('\n')
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .filter((line) => line !== '' && line !== HEADING.trim())
      .join('\n')
  );
}
