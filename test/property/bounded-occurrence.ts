const WORD_CHAR = /[\p{L}\p{N}]/u;

/** How a string value reads inside serialised JSON (quotes and backslashes escaped). */
export const asJsonText = (value: string): string => JSON.stringify(value).slice(1, -1);

/**
 * Where `needle` occurs in `haystack` as a whole word or number, not as part
 * of a longer one: the postcode 10115 is found in `"postalCode":"10115"` but
 * not inside the tracking number KPC101150000000. Without the boundary, short
 * values would "leak" through every longer string that happens to contain
 * them; a value leaked on purpose or by mistake stands on its own. -1 if none.
 */
export function boundedIndexOf(haystack: string, needle: string): number {
  if (needle.length === 0) return -1;
  const guardStart = WORD_CHAR.test(needle[0]!);
  const guardEnd = WORD_CHAR.test(needle[needle.length - 1]!);
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = at > 0 ? haystack[at - 1]! : '';
    const after = haystack[at + needle.length] ?? '';
    if (guardStart && before !== '' && WORD_CHAR.test(before)) continue;
    if (guardEnd && after !== '' && WORD_CHAR.test(after)) continue;
    return at;
  }
  return -1;
}
