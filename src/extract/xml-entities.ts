// XML references without a DTD: the five predefined entities and numeric character references
// are decoded here; any other `&name;` would need a DTD, which is refused. Both functions work on
// a range of the scanner's buffer so that text is only sliced when it is kept.

const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const reference = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;

export type ReferenceProblem = "undeclared" | "malformed";

/** XML 1.0 `Char`: what a numeric reference may produce. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || // _
    c === 45 || // -
    c === 46 || // .
    c === 58 || // :
    c >= 0x80
  );
}

/**
 * What is wrong with the reference starting at `text[at]` (an '&') and ending before `to`, or
 * null when it is a predefined entity or a valid character reference.
 */
export function referenceProblem(text: string, at: number, to: number): ReferenceProblem | null {
  let p = at + 1;
  if (p < to && text.charCodeAt(p) === 35 /* # */) {
    p++;
    const hex = p < to && text.charCodeAt(p) === 120; /* x */
    if (hex) p++;
    const digits = p;
    let code = 0;
    for (; p < to && p - digits <= 7; p++) {
      const c = text.charCodeAt(p);
      const d =
        c >= 48 && c <= 57
          ? c - 48
          : hex && c >= 97 && c <= 102
            ? c - 87
            : hex && c >= 65 && c <= 70
              ? c - 55
              : -1;
      if (d === -1) break;
      code = code * (hex ? 16 : 10) + d;
    }
    if (p === digits || p - digits > 7 || p >= to || text.charCodeAt(p) !== 59 /* ; */)
      return "malformed";
    return isXmlChar(code) ? null : "malformed";
  }
  const start = p;
  for (; p < to && p - start <= 64; p++) if (!isNameChar(text.charCodeAt(p))) break;
  if (p === start || p >= to || text.charCodeAt(p) !== 59) return "malformed";
  return text.slice(start, p) in named ? null : "undeclared";
}

/** Index of the first bad reference in text[from, to) (every '&' checked), or -1. */
export function firstBadReference(text: string, from: number, to: number): number {
  for (let at = text.indexOf("&", from); at !== -1 && at < to; at = text.indexOf("&", at + 1)) {
    if (referenceProblem(text, at, to) !== null) return at;
  }
  return -1;
}

/** Decode the references of text already checked with firstBadReference. */
export function decodeReferences(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    reference,
    (_all, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (name !== undefined) return named[name] as string;
      return String.fromCodePoint(
        dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16),
      );
    },
  );
}
