// The two Keystone v3 calls the gateway makes, over one undici Agent: password auth for the
// gateway's own token (POST /auth/tokens) and validation of a user's token (GET /auth/tokens
// with X-Subject-Token). Every transport failure, timeout, 5xx or unreadable answer becomes a
// KeystoneUnavailableError; messages name the URL and the failure, never a token or password.
import { Agent, request, type Dispatcher } from 'undici';
import { KeystoneUnavailableError } from './errors';
import { parseTokenBody } from './token-body';
import type { Identity } from './types';

export interface PasswordCredentials {
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
}

export interface IssuedServiceToken {
  token: string;
  identity: Identity;
}

/** valid: Keystone vouched for it; invalid: Keystone says no (404/400); unauthorized: 401, maybe our own token. */
export type ValidationAnswer =
  | { kind: 'valid'; identity: Identity }
  | { kind: 'invalid' }
  | { kind: 'unauthorized' };

const USER_AGENT = 'trio2o-keystone-client';
/**
 * Close idle connections to Keystone after this. It must stay below the server's own idle
 * timeout (uwsgi 4 s, Apache 5 s), or a request can race the server closing the socket; and an
 * idle kept-alive connection pins a worker thread in uwsgi's HTTP/1.1 mode.
 */
const KEEP_ALIVE_TIMEOUT_MS = 2_000;

export class KeystoneHttp {
  readonly #agent: Agent;
  readonly #tokensUrl: string;
  readonly #timeoutMs: number;

  /**
   * @param authUrl Keystone v3 base, e.g. http://keystone:5000/v3
   * @param timeoutMs deadline of each whole request
   */
  constructor(authUrl: string, timeoutMs: number) {
    this.#tokensUrl = `${authUrl.replace(/\/+$/, '')}/auth/tokens`;
    this.#timeoutMs = timeoutMs;
    this.#agent = new Agent({
      connections: 16,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  }

  /** Password auth, project-scoped; the catalog comes with it. */
  async issuePasswordToken(c: PasswordCredentials): Promise<IssuedServiceToken> {
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } },
        },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    });
    const res = await this.#send('POST', { 'content-type': 'application/json' }, body);
    const text = await this.#text(res);
    if (res.statusCode !== 201) {
      throw new KeystoneUnavailableError(
        res.statusCode === 401
          ? `Keystone refused the gateway's credentials (user ${c.username}, project ${c.projectName}): 401`
          : `Keystone answered ${res.statusCode} to the gateway's password auth at ${this.#tokensUrl}`,
        { status: res.statusCode },
      );
    }
    const token = res.headers['x-subject-token'];
    if (typeof token !== 'string' || token === '') {
      throw new KeystoneUnavailableError('Keystone issued a token without X-Subject-Token', { status: res.statusCode });
    }
    return { token, identity: this.#identity(text, res.statusCode) };
  }

  /** Asks Keystone about `subjectToken`, authenticating with `serviceToken`. */
  async validate(serviceToken: string, subjectToken: string): Promise<ValidationAnswer> {
    const res = await this.#send('GET', { 'x-auth-token': serviceToken, 'x-subject-token': subjectToken });
    const text = await this.#text(res);
    switch (res.statusCode) {
      case 200:
        return { kind: 'valid', identity: this.#identity(text, 200) };
      case 400: // malformed token
      case 404: // unknown, expired or revoked token
        return { kind: 'invalid' };
      case 401:
        return { kind: 'unauthorized' };
      case 403:
        throw new KeystoneUnavailableError("the gateway's Keystone user may not validate tokens (403): give it the admin or service role", { status: 403 });
      default:
        throw new KeystoneUnavailableError(`Keystone answered ${res.statusCode} to token validation at ${this.#tokensUrl}`, { status: res.statusCode });
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #send(method: 'GET' | 'POST', headers: Record<string, string>, body?: string): Promise<Dispatcher.ResponseData> {
    try {
      return await request(this.#tokensUrl, {
        method,
        body,
        dispatcher: this.#agent,
        headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...headers },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw new KeystoneUnavailableError(`Keystone unreachable at ${this.#tokensUrl}: ${describe(err)}`, { cause: err });
    }
  }

  async #text(res: Dispatcher.ResponseData): Promise<string> {
    try {
      return await res.body.text();
    } catch (err) {
      throw new KeystoneUnavailableError(`Keystone's answer broke off at ${this.#tokensUrl}: ${describe(err)}`, { cause: err });
    }
  }

  #identity(text: string, status: number): Identity {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new KeystoneUnavailableError(`Keystone answered ${status} with a body that is not JSON`, { status, cause: err });
    }
    const parsed = parseTokenBody(json);
    if (!parsed.ok) throw new KeystoneUnavailableError(`Keystone's token document is unusable: ${parsed.reason}`, { status });
    return parsed.identity;
  }
}

/** Short failure text from an undici/system error, classified by code as undici advises. */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const name = err.name === 'TimeoutError' ? 'timeout' : err.name;
    return typeof code === 'string' ? `${code} (${err.message})` : `${name}: ${err.message}`;
  }
  return String(err);
}
