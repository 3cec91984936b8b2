// Where a JSON text first breaks, and why, found by a small scanner: JSON.parse's own message
// quotes the text around the fault, which may be a secret or a value, so it is never shown.

/** The scanner's first fault: its message is the problem, the scan stops where it is. */
class Fault extends Error {}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** The first syntax fault of `text` (1-based line and column), or undefined when it parses. */
export function findJsonFault(text: string) {
  let i = 0;
  const fail = (problem: string): never => {
    throw new Fault(problem);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined || c === "\n") fail("unterminated string");
      else if (c === '"') return void i++;
      else if (c === "\\") {
        const escaped = text[i + 1] ?? "end";
        i++;
        if ('"\\/bfnrt'.includes(escaped)) i++;
        else if (escaped !== "u") fail("invalid escape in a string");
        else {
          for (let digit = 0; digit < 4; digit++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? "")) fail("invalid \\u escape in a string");
          }
          i++;
        }
      } else if (c < " ") fail("control character in a string");
      else i++;
    }
  };
  const list = (close: "}" | "]", item: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === ",") i++;
      else if (text[i] === close) return void i++;
      else fail(i >= text.length ? "unexpected end of file" : `expected ',' or '${close}'`);
    }
  };
  const member = () => {
    space();
    if (text[i] !== '"') fail("expected a property name in double quotes");
    string();
    space();
    if (text[i] !== ":") fail("expected ':' after a property name");
    i++;
    value();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === undefined) fail("unexpected end of file");
    else if (c === "{") list("}", member);
    else if (c === "[") list("]", value);
    else if (c === '"') string();
    else if (c === "-" || isDigit(c)) number();
    else {
      const literal = { t: "true", f: "false", n: "null" }[c as string];
      if (literal === undefined) fail("unexpected character");
      for (const expected of literal as string) {
        if (text[i] !== expected) fail("unexpected character");
        i++;
      }
    }
  };
  const digits = (after: string) => {
    if (!isDigit(text[i])) fail(`expected a digit after ${after}`);
    while (isDigit(text[i])) i++;
  };
  const number = () => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else digits("the minus sign");
    if (text[i] === ".") {
      i++;
      digits("the decimal point");
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      digits("the exponent");
    }
  };
  try {
    value();
    space();
    if (i < text.length) fail("unexpected text after the end of the JSON");
    return undefined;
  } catch (error) {
    if (!(error instanceof Fault)) throw error;
    const before = text.slice(0, i);
    const line = before.split("\n").length;
    return { line, column: i - before.lastIndexOf("\n"), problem: error.message };
  }
}

/**
 * JSON.parse for a file people edit: a leading byte order mark is dropped, and a syntax error is
 * told as `file:line:column is not valid JSON: problem`, in an error `fail` builds.
 */
export function parseJsonFile(
  text: string,
  file: string,
  fail: (message: string, where: { line?: number }) => Error,
): unknown {
  const json = text.replace(/^\uFEFF/, "");
  try {
    return JSON.parse(json);
  } catch {
    const fault = findJsonFault(json);
    if (fault === undefined) throw fail(`${file} is not valid JSON`, {});
    const { line, column, problem } = fault;
    throw fail(`${file}:${line}:${column} is not valid JSON: ${problem}`, { line });
  }
}
