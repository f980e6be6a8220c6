/**
 * Configuration: trio2o.conf (oslo-style INI) + TRIO2O_<SECTION>_<KEY> env variables,
 * validated once at start-up by one valibot schema.
 */
export { ConfigSchema, CONFIG_SECTIONS, SECTION_HELP, type Config } from './schema';
export { configSample } from './sample';
export { loadConfig, configEnvName, DEFAULT_CONFIG_FILE, ENV_PREFIX, SECRET_SETTINGS, type LoadConfigOptions } from './load';
export { redactConfig, REDACTED } from './redact';
export { ConfigError, type ConfigErrorCode } from './errors';
export { parseIni, IniSyntaxError, type IniDocument, type IniValue } from './ini';
export { RENAMED_OPTIONS } from './renamed';
