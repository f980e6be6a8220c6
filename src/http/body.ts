/**
 * Request bodies: size limit (413), JSON parsing (400 on malformed or too deeply nested JSON), and
 * valibot checks that answer 400 naming the offending field.
 */
import type { Context, MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { ApiError, ClientAbortedError, badRequest } from './errors';

/** 1 MiB, the default `[api] max_body_bytes`. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

/**
 * Rejects bodies over `maxBytes` with 413 before they are buffered: by Content-Length when sent,
 * and while streaming for chunked bodies.
 */
export function bodyLimit(maxBytes: number = DEFAULT_MAX_BODY_BYTES): MiddlewareHandler {
  return async function bodyLimitMiddleware(c, next) {
    const len = c.req.header('content-length');
    if (len !== undefined && Number(len) > maxBytes) throw tooLarge(maxBytes);
    // GET and HEAD carry no body anyone reads (a pod is sent none): asking for `raw.body` would
    // only make the node adapter build a full Request for every read.
    const method = c.req.method;
    const body = len === undefined && method !== 'GET' && method !== 'HEAD' ? c.req.raw.body : null;
    if (body) {
      const raw = c.req.raw;
      let seen = 0;
      const limited = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, ctl) {
            seen += chunk.byteLength;
            if (seen > maxBytes) ctl.error(tooLarge(maxBytes));
            else ctl.enqueue(chunk);
          },
        }),
      );
      c.req.raw = new Request(raw, { body: limited, duplex: 'half' } as RequestInit);
    }
    await next();
  };
}

/**
 * The deepest nesting of objects and arrays a request body may have. Nova's and Cinder's request
 * bodies are under 10 levels deep (a server create with block_device_mapping_v2 and scheduler
 * hints is 4); 32 leaves room for any of them while nothing that walks a parsed body recursively
 * (validation, re-serialization) can run out of stack.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * True when `text` nests objects/arrays deeper than `max`, counted on the text before any parser
 * runs (brackets inside strings do not count). Linear, no allocation.
 */
export function jsonDepthExceeds(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) depth--;
  }
  return false;
}

function refuseDeep(text: string): void {
  if (jsonDepthExceeds(text)) throw badRequest(`Malformed request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`);
}

/** JSON.parse for a request body, refusing one nested deeper than MAX_JSON_DEPTH first. */
function parseBody(text: string, malformed: string): unknown {
  refuseDeep(text);
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(malformed);
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `Request is too large: the limit is ${maxBytes} bytes.`);
}

/**
 * The body as text, for the gateway to read or to forward as sent; a body over the size limit
 * keeps its 413, a client that hung up mid-body is a ClientAbortedError.
 */
async function bodyText(c: Context): Promise<string> {
  try {
    return await c.req.text();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (c.req.raw.signal.aborted) throw new ClientAbortedError('The client closed the connection before its request body arrived.', { cause: err });
    throw badRequest('Could not read the request body.');
  }
}

/**
 * A body the gateway forwards as sent, without parsing it: refused like a parsed one when it nests
 * deeper than MAX_JSON_DEPTH, so that no pod has to parse it either (a Python service recursing
 * that deep fails with a 500 of its own).
 */
export async function forwardedBody(c: Context): Promise<string> {
  const text = await bodyText(c);
  refuseDeep(text);
  return text;
}

/** Reads the JSON body; malformed, missing or too deeply nested JSON is a 400, never a 500. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await bodyText(c);
  if (text.trim() === '') throw badRequest('The request body is empty; a JSON object is required.');
  return parseBody(text, 'Malformed request body: not valid JSON.');
}

/** A body read once: the text as sent (to forward unchanged) and its JSON (undefined when empty). */
export interface PeekedBody {
  text: string;
  json: unknown;
}

/**
 * Reads a body the gateway looks at before forwarding it. An empty body is left for the pod to
 * judge; malformed JSON is a 400 in Nova's and Cinder's own words (wsgi.py "Malformed request
 * body"), the answer the pod would give.
 */
export async function peekJson(c: Context): Promise<PeekedBody> {
  const text = await bodyText(c);
  if (text.trim() === '') return { text, json: undefined };
  return { text, json: parseBody(text, 'Malformed request body') };
}

/** How an API words the first failed check of a body (the 400's message). */
export type IssueWording = (issue: v.BaseIssue<unknown>) => string;

/** The gateway's own wording (compute, admin): "Invalid input for field/attribute a.b: <rule>". */
export const fieldPathWording: IssueWording = (issue) => {
  const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
  return path ? `Invalid input for field/attribute ${path}: ${issue.message}` : `Invalid input: ${issue.message}`;
};

/**
 * The one bad-request hook of every API: checks `data` against `schema` and returns the schema's
 * output; on failure a 400 whose message is the first issue in the API's `wording`.
 */
export function validate<S extends v.GenericSchema>(schema: S, data: unknown, wording: IssueWording = fieldPathWording): v.InferOutput<S> {
  const r = v.safeParse(schema, data);
  if (r.success) return r.output;
  throw badRequest(wording(r.issues[0]));
}
