/**
 * `trio2o pod|binding|routing|job ...` and `trio2o status`: the admin API from the command line,
 * authenticated like `openstack` (OS_* variables, clouds.yaml, --os-* flags), printed like it
 * (`-f table|json|yaml|value`, `-c COLUMN`). Exit codes: 0 done, 1 the API, Keystone or a
 * clouds.yaml refused or failed (its message printed), 2 a usage mistake.
 */
import { parseArgs } from 'node:util';
import { AdminClient } from './client';
import { COMMANDS, CommandUsageError, type Command, type OptionSpec } from './commands';
import { CREDENTIAL_FLAGS, CredentialsError, NOAUTH_DEFAULT_ENDPOINT, resolveCredentials } from './credentials';
import { ADMIN_SERVICE_TYPE, openSession } from './keystone';
import { ColumnError, FORMATS, render, type Format } from './output';

/** The first word of every admin command. */
export const ADMIN_GROUPS: ReadonlySet<string> = new Set(COMMANDS.map((c) => c.name.split(' ')[0]!));

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env: Record<string, string | undefined>;
  cwd?: string;
}

const GLOBAL_OPTIONS = {
  format: { type: 'string', short: 'f' },
  column: { type: 'string', short: 'c', multiple: true },
  noauth: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(CREDENTIAL_FLAGS.map((f) => [f, { type: 'string' }])),
} as const;

export const COMMON_HELP = `Output:
  -f, --format FORMAT     table (default), json, yaml or value
  -c, --column COLUMN     show only this column (repeatable, in this order)
Authentication (as the openstack CLI; a flag wins over its variable, which wins over clouds.yaml):
  --os-cloud NAME              OS_CLOUD: an entry of clouds.yaml (./, ~/.config/openstack/, /etc/openstack/; secure.yaml merged)
  --os-auth-url URL            OS_AUTH_URL: Keystone (v3)
  --os-username NAME           OS_USERNAME (or --os-user-id, OS_USER_ID)
  --os-password PASSWORD       OS_PASSWORD
  --os-project-name NAME       OS_PROJECT_NAME (or --os-project-id, OS_PROJECT_ID)
  --os-user-domain-name NAME   OS_USER_DOMAIN_NAME (or --os-user-domain-id, OS_USER_DOMAIN_ID; default id "default")
  --os-project-domain-name NAME OS_PROJECT_DOMAIN_NAME (or --os-project-domain-id, OS_PROJECT_DOMAIN_ID; default id "default")
  --os-token TOKEN             OS_TOKEN: an existing token instead of a password
  --os-region-name REGION      OS_REGION_NAME: the region whose admin endpoint is used
  --os-interface INTERFACE     OS_INTERFACE: public (default), internal or admin
  --os-service-type TYPE       catalog service type of the admin API (default ${ADMIN_SERVICE_TYPE})
  --endpoint URL               OS_ENDPOINT: the admin API's URL, instead of the catalog
  --noauth                     a development gateway (serve --noauth): no Keystone, X-Roles: admin
                               (endpoint default ${NOAUTH_DEFAULT_ENDPOINT})
Exit codes: 0 done, 1 the API (or Keystone) refused or failed, 2 usage error.
`;

function usageLine(c: Command): string {
  const args = c.args.map((a) => (a.many ? `${a.name} [${a.name} ...]` : a.name));
  const opts = Object.entries(c.options).map(([name, o]) => (o.type === 'boolean' ? `[--${name}]` : `[--${name} ${o.metavar ?? 'VALUE'}]`));
  return ['trio2o', c.name, ...args, ...opts].join(' ');
}

function commandHelp(c: Command): string {
  const pad = (s: string) => s.padEnd(30);
  const lines = [`usage: ${usageLine(c)}`, '', c.summary, ''];
  if (c.args.length) lines.push('Arguments:', ...c.args.map((a) => `  ${pad(a.name)} ${a.help}`), '');
  const opts = Object.entries(c.options) as [string, OptionSpec][];
  if (opts.length) lines.push('Options:', ...opts.map(([n, o]) => `  ${pad(`--${n}${o.type === 'string' ? ` ${o.metavar ?? 'VALUE'}` : ''}`)} ${o.help}`), '');
  return `${lines.join('\n')}\n${COMMON_HELP}`;
}

/** The summary of every admin command, for `trio2o --help` and `trio2o <group> --help`. */
export function commandsSummary(group?: string): string {
  return COMMANDS.filter((c) => !group || c.name.split(' ')[0] === group)
    .map((c) => `  trio2o ${c.name.padEnd(16)} ${c.summary}`)
    .join('\n');
}

class UsageError extends Error {}

function findCommand(argv: string[]): { command?: Command; rest: string[]; group: string } {
  const group = argv[0]!;
  const single = COMMANDS.find((c) => c.name === group);
  if (single) return { command: single, rest: argv.slice(1), group };
  const command = COMMANDS.find((c) => c.name === `${group} ${argv[1]}`);
  return { command, rest: argv.slice(2), group };
}

/**
 * Runs one admin command.
 * @param argv the arguments, starting with the group word (`pod`, `status`, ...)
 * @returns the exit code
 */
export async function runAdminCli(argv: string[], io: CliIo): Promise<number> {
  const { command, rest, group } = findCommand(argv);
  try {
    if (!command) {
      const wantsHelp = argv[1] === undefined || argv[1] === '--help' || argv[1] === '-h';
      const text = `usage: trio2o ${group} <command> [options]\n\n${commandsSummary(group)}\n\nSee trio2o ${group} <command> --help.\n`;
      if (wantsHelp) return argv[1] === undefined ? (io.err(text), 2) : (io.out(text), 0);
      throw new UsageError(`unknown command "${group} ${argv[1]}"; the ${group} commands are:\n${commandsSummary(group)}`);
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { ...GLOBAL_OPTIONS, ...(command.options as Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>) } });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) return (io.out(commandHelp(command)), 0);
    const need = command.args.length;
    const many = command.args.at(-1)?.many === true;
    if (positionals.length < need) throw new UsageError(`missing argument ${command.args[positionals.length]!.name}`);
    if (!many && positionals.length > need) throw new UsageError(`unexpected argument "${positionals[need]}"`);
    const format = (values.format ?? 'table') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const credentials = resolveCredentials(values, io.env, io.cwd);
    const api = new AdminClient(await openSession(credentials));
    const result = await command.run(api, { args: positionals, opts: values as Record<string, string | boolean | string[] | undefined> });
    io.out(render(result, format, (values.column as string[] | undefined) ?? []));
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof CredentialsError || err instanceof CommandUsageError || err instanceof ColumnError) {
      io.err(`trio2o: ${err.message}\n${command ? `usage: ${usageLine(command)}\nSee trio2o ${command.name} --help.\n` : ''}`);
      return 2;
    }
    io.err(`trio2o: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
