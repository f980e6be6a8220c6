/**
 * Structured logs: one JSON object per line on stdout (journald keeps them as they are).
 * Secrets never reach a line: fields whose names look like credentials are replaced, and
 * callers never pass raw headers.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_FIELD = /token|password|secret|authorization|cookie|credential/i;

export interface Logger {
  level: LogLevel;
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_FIELD.test(k) && v != null ? '***' : v;
  return out;
}

/** @param write where lines go. @default process.stdout */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const logger: Logger = {
    level,
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
  };
  function emit(lvl: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
    if (ORDER[lvl] < ORDER[logger.level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, event, ...redact(fields) }) + '\n');
  }
  return logger;
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger('error', () => {});
