/**
 * Starts a real gateway (all three listeners on 127.0.0.1, port 0) on an in-memory or temp-file
 * store, as production wires it, for integration tests.
 */
import { Policy } from '../../src/auth/policy';
import { API_RULES } from '../../src/api/policy-rules';
import { openStore, type Store } from '../../src/store';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server';
import { createLogger, type Logger } from '../../src/ops/log';
import type { AuthenticateOptions } from '../../src/auth';

export interface TestGateway {
  gateway: Gateway;
  store: Store;
  urls: Gateway['urls'];
  logs: string[];
  close(): Promise<void>;
}

export interface TestGatewayOptions extends Partial<Omit<GatewayOptions, 'store' | 'auth' | 'policy' | 'log'>> {
  auth?: AuthenticateOptions;
  policyFile?: string;
  storeUrl?: string;
  store?: Store;
  /** Where log lines go. @default kept in `logs` */
  logSink?: (line: string) => void;
}

export async function startTestGateway(opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const store = opts.store ?? (await openStore({ url: opts.storeUrl ?? ':memory:' }));
  const logs: string[] = [];
  const log: Logger = createLogger('debug', opts.logSink ?? ((l) => logs.push(l)));
  const gateway = await startGateway({
    bindHost: '127.0.0.1',
    ports: { admin: 0, compute: 0, volume: 0 },
    ...opts,
    auth: opts.auth ?? { strategy: 'noauth' },
    policy: new Policy(API_RULES, opts.policyFile),
    store,
    log,
  });
  return {
    gateway,
    store,
    urls: gateway.urls,
    logs,
    async close() {
      await gateway.close();
      if (!opts.store) await store.close();
    },
  };
}
