// Builds one record element's tree from the streaming scanner's own events (start tag, text,
// CDATA, end tag), so a record is tokenized once: re-parsing each record's text with
// fast-xml-parser took ~90 % of an XML run. The tree has the shape the accessors read:
// a leaf is its text; otherwise an object of "@attr", child name -> node(s), "#text", "#cdata".
// Text keeps its entity references; accessors decode them.
import type { XmlNode } from "./xml-source.ts";

interface Open {
  readonly name: string;
  readonly attrs: Record<string, string> | null;
  children: Record<string, XmlNode | XmlNode[]> | null;
  text: string;
  cdata: string;
}

const attribute = /([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const leftover = /[^\s/]/;

/**
 * Attributes of a start tag (`tag` is the whole `<name ...>` text, `from` just after the name).
 * Returns null for none, and undefined when the attribute text is malformed.
 */
export function parseAttributes(
  tag: string,
  from: number,
): Record<string, string> | null | undefined {
  const body = tag.slice(from, tag.endsWith("/>") ? -2 : -1);
  if (!body.includes("=")) return leftover.test(body) ? undefined : null;
  const attrs: Record<string, string> = {};
  let rest = body;
  attribute.lastIndex = 0;
  for (let m = attribute.exec(body); m !== null; m = attribute.exec(body)) {
    attrs[`@${m[1]}`] = m[2] ?? m[3] ?? "";
    rest = rest.replace(m[0], "");
  }
  return leftover.test(rest) ? undefined : attrs;
}

export class RecordBuilder {
  readonly #stack: Open[] = [];

  get depth(): number {
    return this.#stack.length;
  }

  start(name: string, attrs: Record<string, string> | null): void {
    this.#stack.push({ name, attrs, children: null, text: "", cdata: "" });
  }

  text(text: string): void {
    const top = this.#stack[this.#stack.length - 1];
    if (top !== undefined) top.text += text;
  }

  cdata(text: string): void {
    const top = this.#stack[this.#stack.length - 1];
    if (top !== undefined) top.cdata += text;
  }

  /** Close the innermost element; returns the record when it was the outermost one. */
  end(): XmlNode | undefined {
    const open = this.#stack.pop();
    if (open === undefined) return undefined;
    const text = open.text.trim();
    let node: XmlNode;
    if (open.attrs === null && open.children === null && open.cdata === "") node = text;
    else {
      const obj: Record<string, XmlNode | XmlNode[]> = {
        ...(open.attrs ?? {}),
        ...(open.children ?? {}),
      };
      if (text !== "") obj["#text"] = text;
      if (open.cdata !== "") obj["#cdata"] = open.cdata;
      node = obj;
    }
    const parent = this.#stack[this.#stack.length - 1];
    if (parent === undefined) return node;
    parent.children ??= {};
    const existing = parent.children[open.name];
    if (existing === undefined) parent.children[open.name] = node;
    else if (Array.isArray(existing)) existing.push(node);
    else parent.children[open.name] = [existing, node];
    return undefined;
  }
}
