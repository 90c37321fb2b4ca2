/** Key for matching what people type against the contract: case-, space- and ё/е-insensitive. */
export function textKey(text: string): string {
  // toLowerCase() is toLocaleLowerCase('ru-RU') for every string (Russian has no special casing
  // rules; tests/unit/text-key.test.ts checks every code point) and some 15 times faster: this
  // runs on every list, yes/no and header cell of every workbook.
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}
