/**
 * Label and field selectors, as k8s.io/apimachinery/pkg/labels and pkg/fields parse them:
 * `app=blog,tier!=cache,env in (prod, staging),!legacy,owner` and `metadata.name=blog`.
 * Pure functions; a malformed selector throws SelectorError (a 400 BadRequest).
 */

export class SelectorError extends Error {
  override name = "SelectorError";
}

export type LabelRequirement =
  | { key: string; op: "exists" | "!exists" }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "=" | "!="; values: [string] }
  | { key: string; op: "gt" | "lt"; values: [string] };

export type LabelSelector = LabelRequirement[];

const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type Token = { type: "id"; value: string } | { type: "op"; value: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "==" || two === "!=") {
      tokens.push({ type: "op", value: two });
      i += 2;
      continue;
    }
    if ("=!(),<>".includes(ch)) {
      tokens.push({ type: "op", value: ch });
      i += 1;
      continue;
    }
    let j = i;
    while (j < input.length && !/[\s=!(),<>]/.test(input[j] as string)) j += 1;
    tokens.push({ type: "id", value: input.slice(i, j) });
    i = j;
  }
  return tokens;
}

function checkKey(key: string): string {
  const name = key.includes("/") ? key.slice(key.indexOf("/") + 1) : key;
  if (!QUALIFIED_NAME.test(key) || name.length > 63 || key.length - name.length - 1 > 253) {
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    throw new SelectorError(
      `unable to parse requirement: invalid label value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
  return value;
}

/** Parses a label selector; an empty string selects everything. */
export function parseLabelSelector(input: string): LabelSelector {
  const tokens = tokenize(input);
  const requirements: LabelSelector = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const expectId = (what: string): string => {
    const token = next();
    if (token?.type !== "id") throw new SelectorError(`found '${token?.value ?? ""}', expected: ${what}`);
    return token.value;
  };
  while (pos < tokens.length) {
    let token = next() as Token;
    if (token.type === "op" && token.value === "!") {
      requirements.push({ key: checkKey(expectId("identifier after '!'")), op: "!exists" });
    } else if (token.type === "id") {
      const key = checkKey(token.value);
      const op = peek();
      if (!op || (op.type === "op" && op.value === ",")) {
        requirements.push({ key, op: "exists" });
      } else if (op.type === "op" && ["=", "==", "!="].includes(op.value)) {
        next();
        const valueToken = peek();
        // `key=` selects an empty value.
        const value = valueToken && valueToken.type === "id" ? (next() as Token).value : "";
        requirements.push({ key, op: op.value === "!=" ? "!=" : "=", values: [checkValue(value)] });
      } else if (op.type === "op" && (op.value === ">" || op.value === "<")) {
        next();
        const value = expectId("integer value");
        if (!/^-?\d+$/.test(value))
          throw new SelectorError(`for 'Gt', 'Lt' operators, the value must be an integer`);
        requirements.push({ key, op: op.value === ">" ? "gt" : "lt", values: [value] });
      } else if (op.type === "id" && (op.value === "in" || op.value === "notin")) {
        next();
        const open = next();
        if (open?.value !== "(") throw new SelectorError(`found '${open?.value ?? ""}', expected: '('`);
        const values: string[] = [];
        for (;;) {
          token = next() as Token;
          if (!token) throw new SelectorError("found '', expected: ')'");
          if (token.type === "op" && token.value === ")") break;
          if (token.type === "op" && token.value === ",") continue;
          if (token.type !== "id")
            throw new SelectorError(`found '${token.value}', expected: ',', ')' or identifier`);
          values.push(checkValue(token.value));
        }
        requirements.push({ key, op: op.value, values });
      } else {
        throw new SelectorError(`found '${op.value}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    } else {
      throw new SelectorError(`found '${token.value}', expected: !, identifier, or 'end of string'`);
    }
    const separator = next();
    if (separator && !(separator.type === "op" && separator.value === ",")) {
      throw new SelectorError(`found '${separator.value}', expected: ',' or 'end of string'`);
    }
  }
  return requirements;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  return selector.every((req) => {
    const present = Object.hasOwn(have, req.key);
    const value = have[req.key];
    switch (req.op) {
      case "exists":
        return present;
      case "!exists":
        return !present;
      case "=":
      case "in":
        return present && req.values.includes(value as string);
      case "!=":
      case "notin":
        return !present || !req.values.includes(value as string);
      case "gt":
      case "lt": {
        if (!present || !/^-?\d+$/.test(value as string)) return false;
        const n = BigInt(value as string);
        const bound = BigInt(req.values[0]);
        return req.op === "gt" ? n > bound : n < bound;
      }
    }
    return false;
  });
}

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

/** Splits on unescaped `sep`; `\,` `\=` `\\` escape. */
function splitEscaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < input.length; i += 1) {
    const ch = input[i] as string;
    if (ch === "\\" && i + 1 < input.length) {
      current += ch + (input[i + 1] as string);
      i += 1;
    } else if (ch === sep) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function unescapeSelector(value: string): string {
  return value.replace(/\\(.)/g, "$1");
}

/**
 * Parses a field selector (`metadata.name=blog,metadata.namespace!=acme`) and checks each field
 * is one the resource supports.
 */
export function parseFieldSelector(input: string, supported: readonly string[]): FieldRequirement[] {
  if (input.trim() === "") return [];
  return splitEscaped(input, ",").map((part) => {
    const match = /^(.*?)(==|!=|=)(.*)$/s.exec(part);
    if (!match) throw new SelectorError(`invalid selector: '${part}'; can't understand '${part}'`);
    const field = unescapeSelector((match[1] as string).trim());
    if (!supported.includes(field)) {
      throw new SelectorError(`field label not supported: ${field}`);
    }
    return { field, op: match[2] === "!=" ? "!=" : "=", value: unescapeSelector(match[3] as string) };
  });
}

export function matchesFields(
  requirements: readonly FieldRequirement[],
  fields: Record<string, string | undefined>,
): boolean {
  return requirements.every((req) => {
    const value = fields[req.field] ?? "";
    return req.op === "=" ? value === req.value : value !== req.value;
  });
}

/** Why a label key or value (of an object's metadata) is not valid, or null. */
export function labelKeyProblem(key: string): string | null {
  try {
    checkKey(key);
    return null;
  } catch {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', 'my.name', or '123-abc'), with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
  }
}

export function labelValueProblem(value: string): string | null {
  if (value.length > 63) return "must be no more than 63 characters";
  if (!LABEL_VALUE.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')";
  }
  return null;
}
