/**
 * The personal-data categories of the values an export holds: a category is
 * named when some row of the export has a value (not null) in a field of
 * that category that the caller may read. `readableCategories` comes from
 * the policies (RequestAuthz), so the list follows the type files: a field
 * classified there is reported here without any change to this code.
 */
export function categoriesHeld(
  rowsByType: ReadonlyMap<string, readonly object[]>,
  readableCategories: (type: string) => ReadonlyMap<string, string>,
): string[] {
  const held = new Set<string>();
  for (const [type, rows] of rowsByType) {
    for (const [field, category] of readableCategories(type)) {
      if (held.has(category)) continue;
      // A field that is no column (PrivacyRequest.overdue) is derived from the row, so the row holds it.
      if (rows.some((row) => (row as Record<string, unknown>)[field] !== null)) held.add(category);
    }
  }
  return [...held].sort();
}
