// Seed flavors (devstack's m1.* set) and the snapshot an instance keeps of its flavor.
import type { ComputeState, FlavorSnapshot, SimFlavor } from './state';

type Seed = Pick<SimFlavor, 'id' | 'name' | 'ram' | 'vcpus' | 'disk'>;

/** devstack's default flavors, with their well-known ids. */
export const SEED_FLAVORS: Seed[] = [
  { id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1 },
  { id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20 },
  { id: '3', name: 'm1.medium', ram: 4096, vcpus: 2, disk: 40 },
  { id: '4', name: 'm1.large', ram: 8192, vcpus: 4, disk: 80 },
  { id: '5', name: 'm1.xlarge', ram: 16384, vcpus: 8, disk: 160 },
  { id: '42', name: 'm1.nano', ram: 128, vcpus: 1, disk: 1 },
  { id: '84', name: 'm1.micro', ram: 192, vcpus: 1, disk: 1 },
];

export function newFlavor(state: ComputeState, f: Seed & Partial<SimFlavor>): SimFlavor {
  return {
    ephemeral: 0, swap: 0, rxtx_factor: 1.0, is_public: true, disabled: false, description: null,
    extra_specs: {}, access: new Set<string>(), seq: state.nextSeq(), ...f,
  };
}

export function seedFlavors(state: ComputeState): void {
  for (const f of SEED_FLAVORS) state.flavors.set(f.id, newFlavor(state, f));
}

export function flavorSnapshot(f: SimFlavor): FlavorSnapshot {
  return {
    id: f.id, name: f.name, ram: f.ram, vcpus: f.vcpus, disk: f.disk, ephemeral: f.ephemeral,
    swap: f.swap, extra_specs: { ...f.extra_specs },
  };
}
