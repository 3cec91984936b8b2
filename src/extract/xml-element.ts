// One record element of an XML extract, and the paths a mapping reads it by. Every element is an
// XmlElement whether it occurs once or repeatedly (children keep document order in one array),
// so repeated elements need no special case: a value path takes the first match at each step, a
// group path every match.
import { PhinError } from "../errors.ts";
import type { GroupAccessor, ValueAccessor } from "./source.ts";

/** One element of a record: attributes, child elements in document order, and its own text. */
export class XmlElement {
  readonly name: string;
  /** Attribute names and values (decoded, trimmed), alternating; null when there are none. */
  attrs: string[] | null = null;
  /** Child elements in document order; null when there are none. */
  children: XmlElement[] | null = null;
  /** Own text and CDATA in document order, references decoded, trimmed when the element ends. */
  text = "";
  constructor(name: string) {
    this.name = name;
  }
}

export type XmlRecord = XmlElement;

function childNamed(el: XmlElement, name: string): XmlElement | undefined {
  const children = el.children;
  if (children === null) return undefined;
  for (let i = 0; i < children.length; i++) {
    const c = children[i] as XmlElement;
    if (c.name === name) return c;
  }
  return undefined;
}

export function attributeOf(el: XmlElement, name: string): string | undefined {
  const attrs = el.attrs;
  if (attrs === null) return undefined;
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1];
  return undefined;
}

/** An element's own text; undefined for an element that only holds child elements. */
function ownText(el: XmlElement): string | undefined {
  return el.text === "" && el.children !== null ? undefined : el.text;
}

const stepName = /^[A-Za-z_][\w.:-]*$/;

/** Split and check a relative path; `.` steps are dropped. Throws MAPPING_INVALID. */
export function stepsOf(file: string, path: string, allowAttribute: boolean): string[] {
  const steps = path.split("/").filter((s) => s !== ".");
  const ok = steps.every(
    (s, i) =>
      stepName.test(s) ||
      (allowAttribute && i === steps.length - 1 && s.startsWith("@") && stepName.test(s.slice(1))),
  );
  if (!ok || path === "") {
    throw new PhinError(
      "MAPPING_INVALID",
      `${file}: "${path}" is not an XML path of the form a/b/c, a/@attribute or .`,
      { stage: "map", file, field: path },
    );
  }
  return steps;
}

export function compileValue(file: string, path: string): ValueAccessor<XmlElement> {
  const steps = stepsOf(file, path, true);
  const last = steps[steps.length - 1];
  const attribute = last?.startsWith("@") ? last.slice(1) : undefined;
  const elements = attribute === undefined ? steps : steps.slice(0, -1);
  const walk = (row: XmlElement): XmlElement | undefined => {
    let el: XmlElement | undefined = row;
    for (let i = 0; i < elements.length && el !== undefined; i++)
      el = childNamed(el, elements[i] as string);
    return el;
  };
  if (attribute !== undefined) {
    return (row) => {
      const el = walk(row);
      return el === undefined ? undefined : attributeOf(el, attribute);
    };
  }
  return (row) => {
    const el = walk(row);
    return el === undefined ? undefined : ownText(el);
  };
}

/** Shared result for a group with no match: the accessors' callers only read it. */
const NO_ELEMENTS: readonly XmlElement[] = Object.freeze([]);

/**
 * Append to `out` every element under `el` matching steps[at..], in document order. Depth first
 * gives the same order as matching level by level (parent order, then child order), without an
 * array per level per record.
 */
function collectGroup(el: XmlElement, steps: string[], at: number, out: XmlElement[]): void {
  const children = el.children;
  if (children === null) return;
  const step = steps[at] as string;
  const last = at === steps.length - 1;
  for (let i = 0; i < children.length; i++) {
    const c = children[i] as XmlElement;
    if (c.name !== step) continue;
    if (last) out.push(c);
    else collectGroup(c, steps, at + 1, out);
  }
}

export function compileGroup(file: string, path: string): GroupAccessor<XmlElement> {
  const steps = stepsOf(file, path, false);
  if (steps.length === 0) return (row) => [row];
  return (row) => {
    const out: XmlElement[] = [];
    collectGroup(row, steps, 0, out);
    return out.length === 0 ? NO_ELEMENTS : out;
  };
}
