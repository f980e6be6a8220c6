/** Placeholder while drafting. */
import type { Cloud } from './cloud';
export interface GatewayProcess { pid: number; urls: { admin: string; compute: string; volume: string }; computeMax: string; volumeMax: string; stop(): Promise<void> }
export async function startGatewayProcess(o: { dir: string; cloud: Cloud }): Promise<GatewayProcess> {
  void o;
  throw new Error('not yet');
}
