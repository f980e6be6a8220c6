/**
 * A pod's list answer, read item by item instead of parsed whole. A list across N pods asks
 * every pod for the whole page and shows `limit` items of the N × limit it gets back, so parsing
 * every item (and every link and field in it) is mostly wasted: with 16 pods, 750 of 800
 * detailed servers never make the page. The reader walks the JSON text at the level of its
 * structure only, as far as it is asked: `next()` gives the text of the collection's next item,
 * and the rest of the answer (how many items, the `next` link) is read when the items run out.
 *
 * What it reads it checks (one object, balanced brackets, terminated strings, the collection an
 * array); an item's inside is checked by whoever parses it. A text that breaks the structure
 * where the reader gets to throws `MalformedPageError`. A truncated body never gets here: the
 * pod client fails a body cut short.
 */

/** The answer is not a list answer where the reader looked (the pod gave a bad answer). */
export class MalformedPageError extends Error {
  constructor(at: number) {
    super(`malformed list answer at offset ${at}`);
    this.name = 'MalformedPageError';
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function expect(text: string, i: number, ch: number): number {
  if (text.charCodeAt(i) !== ch) throw new MalformedPageError(i);
  return i + 1;
}

/** The offset just past the string that opens at `i` (a quote). */
function skipString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    j = text.indexOf('"', j);
    if (j === -1) throw new MalformedPageError(i);
    // A quote preceded by an odd number of backslashes is escaped.
    let k = j - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((j - 1 - k) % 2 === 0) return j + 1;
    j++;
  }
}

/** The offset just past the value that starts at `i`. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const ch = text.charCodeAt(j);
      if (ch === QUOTE) j = skipString(text, j) - 1;
      else if (ch === OPEN_BRACE || ch === OPEN_BRACKET) depth++;
      else if ((ch === CLOSE_BRACE || ch === CLOSE_BRACKET) && --depth === 0) return j + 1;
    }
    throw new MalformedPageError(i);
  }
  // A number, true, false or null: up to the next delimiter.
  let j = i;
  while (j < text.length) {
    const ch = text.charCodeAt(j);
    if (ch === COMMA || ch === CLOSE_BRACE || ch === CLOSE_BRACKET || isSpace(ch)) break;
    j++;
  }
  if (j === i) throw new MalformedPageError(i);
  return j;
}

/** The key of the member that starts at `i` (a quote), and the offset of its value. */
function member(text: string, i: number): { key: string; value: number } {
  expect(text, i, QUOTE);
  const end = skipString(text, i);
  const raw = text.slice(i + 1, end - 1);
  const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end)) as string) : raw;
  return { key, value: skipSpace(text, expect(text, skipSpace(text, end), COLON)) };
}

/**
 * Reads `{"<collection>": [...], "<collection>_links": [...], ...}` (members in any order)
 * lazily. The constructor reads up to the collection's first item.
 * @example
 * const page = new PageReader(text, 'servers');
 * for (let item = page.next(); item !== undefined; item = page.next()) JSON.parse(item);
 * page.count; page.hasNext;
 */
export class PageReader {
  readonly text: string;
  /** Items read so far; every item once `next()` has returned undefined. */
  count = 0;
  /** A `<collection>_links` member with `rel: next` was read (the pod has more). */
  hasNext = false;
  readonly #collection: string;
  readonly #linksKey: string;
  /** Where reading goes on: inside the collection array (`#inArray`) or among the members. */
  #at: number;
  #inArray = false;
  #done = false;

  /** @throws MalformedPageError when the text does not open as a list answer. */
  constructor(text: string, collection: string) {
    this.text = text;
    this.#collection = collection;
    this.#linksKey = `${collection}_links`;
    this.#at = skipSpace(text, expect(text, skipSpace(text, 0), OPEN_BRACE));
    this.#members(true);
  }

  /**
   * The text of the collection's next item, or undefined after the last (the rest of the
   * answer read by then). @throws MalformedPageError
   */
  next(): string | undefined {
    if (!this.#inArray) return undefined;
    const text = this.text;
    const start = this.#at;
    if (text.charCodeAt(start) === CLOSE_BRACKET) {
      this.#inArray = false;
      this.#at = skipSpace(text, start + 1);
      this.#afterMember();
      this.#members(false);
      return undefined;
    }
    const end = skipValue(text, start);
    let i = skipSpace(text, end);
    if (text.charCodeAt(i) === COMMA) {
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) === CLOSE_BRACKET) throw new MalformedPageError(i);
    } else if (text.charCodeAt(i) !== CLOSE_BRACKET) throw new MalformedPageError(i);
    this.#at = i;
    this.count++;
    return text.slice(start, end);
  }

  /**
   * Reads members from `#at`: up to the collection's array when `untilCollection` (entering it),
   * else to the end of the object. The collection again after its array, or not an array, is a
   * malformed answer: a list has one.
   */
  #members(untilCollection: boolean): void {
    const text = this.text;
    while (!this.#done) {
      if (text.charCodeAt(this.#at) === CLOSE_BRACE) {
        this.#done = true;
        if (skipSpace(text, this.#at + 1) !== text.length) throw new MalformedPageError(this.#at + 1);
        break;
      }
      const { key, value } = member(text, this.#at);
      if (key === this.#collection) {
        if (!untilCollection || text.charCodeAt(value) !== OPEN_BRACKET) throw new MalformedPageError(value);
        this.#inArray = true;
        this.#at = skipSpace(text, value + 1);
        return;
      }
      const end = skipValue(text, value);
      if (key === this.#linksKey) this.hasNext = hasNextLink(text.slice(value, end), value);
      this.#at = skipSpace(text, end);
      this.#afterMember();
    }
    if (untilCollection) throw new MalformedPageError(this.#at);
  }

  /** Past the `,` between members, or at the closing `}`. */
  #afterMember(): void {
    const ch = this.text.charCodeAt(this.#at);
    if (ch === COMMA) {
      this.#at = skipSpace(this.text, this.#at + 1);
      if (this.text.charCodeAt(this.#at) !== QUOTE) throw new MalformedPageError(this.#at);
    } else if (ch !== CLOSE_BRACE) throw new MalformedPageError(this.#at);
  }
}

function hasNextLink(json: string, at: number): boolean {
  let links: unknown;
  try {
    links = JSON.parse(json);
  } catch {
    throw new MalformedPageError(at);
  }
  return Array.isArray(links) && links.some((l) => (l as { rel?: unknown } | null)?.rel === 'next');
}
