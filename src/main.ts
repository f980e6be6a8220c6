/**
 * trio2o — OpenStack API gateway. CLI entry: `serve`, `db migrate`, `config sample|check`,
 * `primary keygen|token`, and the admin commands (`pod`, `binding`, `routing`, `job`, `status`).
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { startErrorMessage } from './cli/start-errors';
import { readConfig, serve } from './cli/serve';
import { dbMigrate } from './cli/migrate';
import { VERSION } from './version';
import { createLogger, installSignalHandlers } from './ops';
import { primaryCli } from './cli/primary-keys';
import { ADMIN_GROUPS, commandsSummary, runAdminCli } from './cli/admin';
import { configCli } from './cli/config-tools';
import { JOBS_SLOT, superviseWorkers, workerSlot } from './cli/workers';

const HELP = `trio2o ${VERSION} — many OpenStack pods shown as one region (Nova v2.1, Cinder v3)

Usage:
  trio2o serve [--config FILE] [--noauth] [--workers N]   run the gateway (admin :19996, compute :19998, volume :19997)
  trio2o db migrate [--config FILE]         apply state-store schema migrations
  trio2o config sample                      print an annotated trio2o.conf with every option and its default
  trio2o config check [--config FILE]       validate the configuration without starting (exit 0 or 1)
  trio2o primary keygen --dir DIR           Ed25519 key pair for a sqld primary (multi-site)
  trio2o primary token --key FILE [--read-only] [--days N]   a JWT for a site's [database] auth_token
  trio2o --version                          print the version
  trio2o --help                             this text

--config FILE  INI configuration (default /etc/trio2o/trio2o.conf; may be absent)
--noauth       trust identity headers instead of Keystone (development only)
--workers N    listener processes sharing the ports and the store (over [DEFAULT] workers)
Settings can be overridden by TRIO2O_<SECTION>_<KEY> environment variables.

Admin commands (the admin API through Keystone, like the openstack CLI; see trio2o <command> --help):
${commandsSummary()}
`;

async function main(argv: string[]): Promise<number> {
  // `trio2o primary keygen|token ...` has its own options (multi-site JWT keys for sqld).
  if (argv[0] === 'primary') return primaryCli(argv.slice(1));
  // The admin commands parse their own options (--os-*, -f, -c) and talk to a gateway, not a config.
  if (argv[0] !== undefined && ADMIN_GROUPS.has(argv[0])) {
    return runAdminCli(argv, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env });
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      noauth: { type: 'boolean' },
      workers: { type: 'string' },
      version: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.version) return (process.stdout.write(`trio2o ${VERSION}\n`), 0);
  if (values.help || positionals.length === 0) return (process.stdout.write(HELP), values.help ? 0 : 2);
  const args = { config: values.config, noauth: values.noauth, workers: values.workers };
  const [cmd, sub] = positionals;
  if (cmd === 'serve') {
    const slot = workerSlot();
    const log = createLogger('info', undefined, slot === undefined ? {} : { worker: slot });
    if (slot === undefined) {
      const count = readConfig(args).DEFAULT.workers;
      if (count > 1) {
        const { stop, reload } = await superviseWorkers(args, count, log);
        installSignalHandlers({ stop, reload, log });
        return -1;
      }
    }
    const { stop, reload } = await serve(args, log, slot === undefined ? undefined : { slot, jobs: slot === JOBS_SLOT });
    installSignalHandlers({ stop, reload, log });
    return -1; // keep running
  }
  if (cmd === 'config') return configCli(sub, args, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  if (cmd === 'db' && sub === 'migrate') {
    process.stdout.write(`${await dbMigrate(args)}\n`);
    return 0;
  }
  process.stderr.write(`trio2o: unknown command: ${positionals.join(' ')}\n\n${HELP}`);
  return 2;
}

/**
 * A cluster worker's channel to its primary keeps it alive, and letting go of the channel makes
 * Node's cluster code exit with 0: a worker that is done exits with its own code, which the
 * primary logs.
 */
const letGo = () => void (cluster.isWorker && process.exit());

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) (process.exitCode = code), letGo();
  },
  (err: unknown) => {
    process.stderr.write(startErrorMessage(err));
    // A mistyped option or argument is a usage error (2), like an unknown command.
    process.exitCode = err instanceof Error && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_') ? 2 : 1;
    letGo();
  },
);
