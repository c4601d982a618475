import type { Classifier } from '../classify/model';
import type { Classification } from '../classify/taxonomy';
import type { RoutingConfigCache } from '../routing/config-store';
import { decideRoute, type RouteDecision } from '../routing/decide';

/** What the hotline understood of a citizen's message: the labels and where the ticket goes. */
export interface Understanding {
  classification: Classification;
  decision: RouteDecision;
  routingVersion: number;
}

export type Understand = (text: string, location?: { lat: number; lon: number } | null) => Promise<Understanding>;

/**
 * Classifies and routes one message. Runs before the event's transaction: the routing cache reads
 * the database, and the embedded PGlite has a single connection that a transaction holds.
 */
export function createUnderstand(classifier: Classifier, routing: RoutingConfigCache): Understand {
  return async (text, location) => {
    const classification = classifier.classify(text);
    const active = await routing.get();
    const decision = decideRoute(
      active.config,
      classification,
      { text, location },
      { threshold: classifier.meta.routeThreshold },
    );
    return { classification, decision, routingVersion: active.version };
  };
}

/** A location pin as Zalo sends it (strings or numbers), as numbers; null when absent or unreadable. */
export function pinOf(stateData: Record<string, unknown> | undefined): { lat: number; lon: number } | null {
  const c = (stateData?.lastLocation as { coordinates?: { latitude?: unknown; longitude?: unknown } } | undefined)
    ?.coordinates;
  const lat = Number(c?.latitude);
  const lon = Number(c?.longitude);
  return Number.isFinite(lat) && Number.isFinite(lon) && c?.latitude !== undefined ? { lat, lon } : null;
}
