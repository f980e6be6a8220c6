/**
 * `trio2o primary keygen|token`: the Ed25519 key pair of the sqld primary's JWT auth and the
 * tokens the sites present (`[database] auth_token`). sqld verifies with the PUBLIC key only
 * (`--auth-jwt-key-file`, SPKI PEM); the private key signs tokens and never leaves the admin's
 * host. Claims as sqld reads them: `{"a":"rw"}` (or none) read+write, `{"a":"ro"}` read-only,
 * optional `exp` (seconds since the epoch), enforced with a grace of up to a minute.
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export const PUBLIC_KEY_FILE = 'primary-jwt.pub.pem';
export const PRIVATE_KEY_FILE = 'primary-jwt.key.pem';

export interface PrimaryKeys {
  /** SPKI PEM: give it to sqld with `--auth-jwt-key-file`. */
  publicPem: string;
  /** PKCS#8 PEM: signs tokens; keep it off the site hosts. */
  privatePem: string;
}

export function generatePrimaryKeys(): PrimaryKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export interface TokenOptions {
  /** 'rw' for sites (they write pods, bindings, routings); 'ro' for read-only tools. @default 'rw' */
  access?: 'rw' | 'ro';
  /** Lifetime in seconds; absent = no `exp` claim (rotate by replacing the key pair). */
  expiresInSeconds?: number;
  /** @default Date.now() */
  now?: number;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/**
 * A JWT sqld accepts: header `{"alg":"EdDSA","typ":"JWT"}`, Ed25519 signature.
 * @example signPrimaryToken(readFileSync('primary-jwt.key.pem', 'utf8'), { access: 'rw' })
 */
export function signPrimaryToken(privateKey: string | KeyObject, opts: TokenOptions = {}): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const claims: Record<string, unknown> = { a: opts.access ?? 'rw', iat: Math.floor((opts.now ?? Date.now()) / 1000) };
  if (opts.expiresInSeconds !== undefined) claims.exp = (claims.iat as number) + Math.floor(opts.expiresInSeconds);
  const signed = `${b64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
  return `${signed}.${b64url(sign(null, Buffer.from(signed), key))}`;
}

/** Writes the pair into `dir` (private 0600, public 0644); refuses to overwrite either file. */
export function writePrimaryKeys(dir: string, keys: PrimaryKeys = generatePrimaryKeys()): { publicFile: string; privateFile: string } {
  const publicFile = join(dir, PUBLIC_KEY_FILE);
  const privateFile = join(dir, PRIVATE_KEY_FILE);
  for (const f of [publicFile, privateFile]) if (existsSync(f)) throw new Error(`${f} already exists; remove it first to make a new key pair`);
  writeFileSync(privateFile, keys.privatePem, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicFile, keys.publicPem, { mode: 0o644, flag: 'wx' });
  return { publicFile, privateFile };
}

const USAGE = `Usage:
  trio2o primary keygen --dir DIR                       write ${PUBLIC_KEY_FILE} (for sqld) and ${PRIVATE_KEY_FILE} (keep secret)
  trio2o primary token --key FILE [--read-only] [--days N]   print a JWT for [database] auth_token
`;

/**
 * The `trio2o primary ...` subcommands. Returns the exit code; output goes to `out`.
 * @param argv the arguments after `primary`
 */
export function primaryCli(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string' }, key: { type: 'string' }, 'read-only': { type: 'boolean' }, days: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [sub] = positionals;
  if (values.help || !sub) return (out(USAGE), values.help ? 0 : 2);
  if (sub === 'keygen') {
    if (!values.dir) return (out(`--dir is required\n${USAGE}`), 2);
    const { publicFile, privateFile } = writePrimaryKeys(values.dir);
    out(`wrote ${publicFile} (sqld --auth-jwt-key-file) and ${privateFile} (secret: signs site tokens)\n`);
    return 0;
  }
  if (sub === 'token') {
    if (!values.key) return (out(`--key is required\n${USAGE}`), 2);
    const days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && !(Number.isFinite(days) && days > 0)) return (out('--days must be a positive number\n'), 2);
    const token = signPrimaryToken(readFileSync(values.key, 'utf8'), {
      access: values['read-only'] ? 'ro' : 'rw',
      expiresInSeconds: days === undefined ? undefined : days * 86_400,
    });
    out(`${token}\n`);
    return 0;
  }
  out(`unknown subcommand: primary ${sub}\n${USAGE}`);
  return 2;
}
