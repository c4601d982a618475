/**
 * A small JSON parser that remembers where every value starts, so a configuration problem found by
 * the schema (a path such as rules[3].unit) can be reported at the line an administrator must edit.
 * JSON.parse gives neither positions for values nor a line for syntax errors on every Node version.
 */
export interface Position {
  line: number;
  column: number;
}

export type JsonPath = ReadonlyArray<string | number>;

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

export interface LocatedJson {
  value: unknown;
  /** Where the value at a path starts (and, for keys, where the key starts). */
  positionOf(path: JsonPath): Position;
  /** Keys written twice in one object: JSON.parse silently keeps the last, which hides edits. */
  duplicateKeys: Array<{ path: JsonPath; position: Position }>;
}

const pathKey = (path: JsonPath) => JSON.stringify(path);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function parseJsonWithPositions(text: string): LocatedJson {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const toPosition = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };

  const offsets = new Map<string, number>();
  const duplicateKeys: LocatedJson['duplicateKeys'] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (reason: string, at = i): never => {
    const p = toPosition(Math.min(at, text.length));
    throw new JsonSyntaxError(reason, p.line, p.column);
  };
  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${text[at]}'`);
  const skipWs = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (ch: string, what: string) => {
    skipWs();
    if (text[i] !== ch) fail(`expected ${what}, found ${describe(i)}`);
    i++;
  };

  function parseString(): string {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20)
        fail(c === 0x0a ? 'unterminated string (line break inside a string)' : 'control character in a string');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('unterminated string', start);
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid escape sequence in a string', start);
    }
  }

  function parseValue(path: JsonPath): unknown {
    skipWs();
    offsets.set(pathKey(path), i);
    const c = text[i];
    if (c === '{') return parseObject(path);
    if (c === '[') return parseArray(path);
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) fail('invalid number');
      i += m![0].length;
      return Number(m![0]);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    return fail(`unexpected ${describe(i)}, expected a value`);
  }

  function parseObject(path: JsonPath): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    i++;
    skipWs();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipWs();
      if (text[i] !== '"') fail(`expected a key in double quotes, found ${describe(i)}`);
      const keyAt = i;
      const key = parseString();
      const keyPath = [...path, key];
      if (seen.has(key)) duplicateKeys.push({ path: keyPath, position: toPosition(keyAt) });
      seen.add(key);
      expect(':', `':' after key "${key}"`);
      out[key] = parseValue(keyPath);
      skipWs();
      if (text[i] === '}') {
        i++;
        return out;
      }
      if (text[i] !== ',') fail(`expected ',' or '}' after the value of "${key}", found ${describe(i)}`);
      const comma = i++;
      skipWs();
      if (text[i] === '}') fail("trailing comma before '}'", comma);
    }
  }

  function parseArray(path: JsonPath): unknown[] {
    const out: unknown[] = [];
    i++;
    skipWs();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(parseValue([...path, out.length]));
      skipWs();
      if (text[i] === ']') {
        i++;
        return out;
      }
      if (text[i] !== ',') fail(`expected ',' or ']' in a list, found ${describe(i)}`);
      const comma = i++;
      skipWs();
      if (text[i] === ']') fail("trailing comma before ']'", comma);
    }
  }

  const value = parseValue([]);
  skipWs();
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`);

  return {
    value,
    duplicateKeys,
    positionOf(path) {
      // A missing key has no position of its own: report the closest enclosing value.
      for (let n = path.length; n >= 0; n--) {
        const at = offsets.get(pathKey(path.slice(0, n)));
        if (at !== undefined) return toPosition(at);
      }
      return { line: 1, column: 1 };
    },
  };
}

/** rules[3].unit, the way people read a path. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(document)';
}
