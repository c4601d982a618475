import type { RoutingConfig } from './config-schema';

/** Display names of units and communes, from the routing configuration in force. */
export interface Names {
  unit(code: string): string | undefined;
  commune(code: string): string | undefined;
}

export const NO_NAMES: Names = { unit: () => undefined, commune: () => undefined };

const cache = new WeakMap<RoutingConfig, Names>();

export function namesOf(config: RoutingConfig | undefined | null): Names {
  if (!config) return NO_NAMES;
  let names = cache.get(config);
  if (!names) {
    const units = new Map(config.units.map((u) => [u.code, u.name]));
    const communes = new Map(config.communes.map((c) => [c.code, c.name]));
    names = { unit: (c) => units.get(c), commune: (c) => communes.get(c) };
    cache.set(config, names);
  }
  return names;
}
