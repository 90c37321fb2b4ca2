/** Key for matching what people type against the contract: case-, space- and ё/е-insensitive. */
export function textKey(text: string): string {
  return text.toLocaleLowerCase('ru-RU').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}
