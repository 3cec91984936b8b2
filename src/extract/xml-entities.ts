// XML character references with entity processing off: the five predefined entities and
// numeric references are decoded here; any other reference would need a DTD, which is refused.
const reference = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const anyReference = /&([^;&\s]{0,32});?/g;
const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Index (in `text`) of the first reference that is not predefined or numeric, or -1. */
export function firstUndeclaredReference(text: string): number {
  if (!text.includes("&")) return -1;
  anyReference.lastIndex = 0;
  for (let m = anyReference.exec(text); m !== null; m = anyReference.exec(text)) {
    const whole = m[0];
    if (!whole.endsWith(";")) return m.index;
    const name = m[1] ?? "";
    if (name in named || /^#[0-9]{1,7}$/.test(name) || /^#x[0-9a-fA-F]{1,6}$/.test(name)) continue;
    return m.index;
  }
  return -1;
}

export function decodeReferences(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    reference,
    (_all, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (name !== undefined) return named[name] as string;
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : "\uFFFD";
    },
  );
}
