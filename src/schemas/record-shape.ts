// Records are plain objects keyed by field name. Built key by key with computed names, V8 turns
// an object with more than about 16 such keys into a slow hash-table ("dictionary") object, and
// every later field access on it is a hash lookup: that was the case for every record of every
// stage (31 episode fields). Copies of one template object, `{ ...template }`, share the
// template's fast hidden class instead; filling existing keys keeps it.

/** A fast-mode object with exactly `keys`, in that order, all null: spread it per record. */
export function recordTemplate(keys: readonly string[]): Readonly<Record<string, null>> {
  // JSON.parse builds its objects with fast properties, whatever the number of keys.
  return JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, null]))));
}
