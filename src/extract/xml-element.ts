// One record element of an XML extract, the paths a mapping reads it by, and the trie of paths
// seen. Every element is an XmlElement whether it occurs once or repeatedly (children keep
// document order in one array), so repeated elements need no special case: a value path takes
// the first match at each step, a group path every match.
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
  /** It has child elements, built or not (one that holds only elements has no value). */
  holdsElements = false;
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

function attributeOf(el: XmlElement, name: string): string | undefined {
  const attrs = el.attrs;
  if (attrs === null) return undefined;
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1];
  return undefined;
}

/** An element's own text; undefined for an element that only holds child elements. */
function ownText(el: XmlElement): string | undefined {
  return el.text === "" && el.holdsElements ? undefined : el.text;
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

/** Distinct element and attribute paths remembered (column names for the report). */
const MAX_COLUMN_NAMES = 2000;

/** One relative element path inside records, and what is built there. */
export class PathNode {
  /** Relative path from the record element; "" for the record element itself. */
  readonly path: string;
  readonly children = new Map<string, PathNode>();
  /** Attribute names seen on elements at this path. */
  readonly attributes = new Set<string>();
  /** Text that is not blank was seen in an element at this path. */
  hasText = false;
  /** Build elements at this path (they are on a read path), keep their text, these attributes. */
  build: boolean;
  keepText: boolean;
  /** Attributes kept; null: all. */
  keepAttributes: Set<string> | null;
  constructor(path: string, keep: boolean) {
    this.path = path;
    this.build = this.keepText = keep;
    this.keepAttributes = keep ? null : new Set();
  }
}

/**
 * The trie of every relative path seen in records, capped: the column names of the "dropped
 * columns" report, and what is built at each path once restricted to the paths a mapping reads.
 */
export class XmlPaths {
  readonly root = new PathNode("", true);
  /** Shared node for paths beyond the cap: never listed, built only when unrestricted. */
  readonly overflow = new PathNode("", true);
  #count = 0;
  #restricted = false;

  /** The node for child `name` of `parent`, created (up to the cap) on first sight. */
  child(parent: PathNode, name: string): PathNode {
    const known = parent.children.get(name);
    if (known !== undefined) return known;
    if (parent === this.overflow || this.#count >= MAX_COLUMN_NAMES) return this.overflow;
    this.#count++;
    const node = new PathNode(
      parent.path === "" ? name : `${parent.path}/${name}`,
      !this.#restricted,
    );
    parent.children.set(name, node);
    return node;
  }

  sawAttribute(node: PathNode, name: string): void {
    if (node === this.overflow || node.attributes.has(name) || this.#count >= MAX_COLUMN_NAMES)
      return;
    node.attributes.add(name);
    this.#count++;
  }

  /** Build only what these relative paths need, from the next element on. */
  restrict(paths: Iterable<string>): void {
    this.#restricted = true;
    const reset = (node: PathNode) => {
      node.build = node.keepText = false;
      node.keepAttributes = new Set();
      for (const c of node.children.values()) reset(c);
    };
    reset(this.root);
    reset(this.overflow);
    this.root.build = true;
    each: for (const path of paths) {
      const steps = path.split("/").filter((s) => s !== "." && s !== "");
      const last = steps[steps.length - 1];
      const attribute = last?.startsWith("@") ? last.slice(1) : undefined;
      let node = this.root;
      for (const step of attribute === undefined ? steps : steps.slice(0, -1)) {
        node = this.child(node, step);
        if (node === this.overflow) continue each;
        node.build = true;
      }
      if (attribute === undefined) node.keepText = true;
      else node.keepAttributes?.add(attribute);
    }
  }

  /** Relative paths of text and attributes seen so far, capped. */
  columnNames(): string[] {
    const out: string[] = [];
    const walk = (node: PathNode) => {
      if (node.hasText) out.push(node.path === "" ? "." : node.path);
      for (const a of node.attributes) out.push(node.path === "" ? `@${a}` : `${node.path}/@${a}`);
      for (const c of node.children.values()) walk(c);
    };
    walk(this.root);
    return out.sort().slice(0, MAX_COLUMN_NAMES);
  }
}
