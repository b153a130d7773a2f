import type { GrantInfo } from '../policies/actor.js';
import type { DomainEvent } from './write.js';

/** Who is watching a stream: a signed-in user of one tenant. */
export interface EventViewer {
  tenantId: string;
  userId: string;
  userKind: 'staff' | 'citizen';
  grants: GrantInfo[];
}

/**
 * A module's rule for one event type. `unitPath` is the path (root … unit) of the event's unit
 * when it has one. The rule decides alone (after the tenant check); it may call
 * `defaultEventVisibility` for the cases it does not change.
 */
export type EventVisibilityRule = (event: DomainEvent, viewer: EventViewer, unitPath: readonly string[] | null) => boolean;

const rules = new Map<string, EventVisibilityRule>();

/** Registers who may see events of one type on the SSE stream; returns the unregister function. */
export function registerEventVisibility(type: string, rule: EventVisibilityRule): () => void {
  if (rules.has(type)) throw new Error(`event visibility for "${type}" is already registered`);
  rules.set(type, rule);
  return () => {
    if (rules.get(type) === rule) rules.delete(type);
  };
}

/**
 * The default rules, in order:
 * 1. an event addressed to a user (`payload.userId`) is seen by that user only;
 * 2. an event marked `payload.public === true` is seen by every signed-in user of the tenant;
 * 3. otherwise only staff see it: an event with a unit is seen by staff holding any grant on a unit
 *    of that unit's path (the unit or one above it); an event without a unit, or whose unit is
 *    unknown, by staff holding a tenant-wide grant (on the root unit).
 */
export function defaultEventVisibility(event: DomainEvent, viewer: EventViewer, unitPath: readonly string[] | null): boolean {
  const addressee = event.payload.userId;
  if (typeof addressee === 'string') return addressee === viewer.userId;
  if (event.payload.public === true) return true;
  if (viewer.userKind !== 'staff') return false;
  if (event.unitId && unitPath) return viewer.grants.some((g) => unitPath.includes(g.unitId));
  return viewer.grants.some((g) => g.unitPath.length === 1);
}

/** Whether a signed-in viewer may receive the event: same tenant, then the type's rule or the defaults. */
export function isEventVisible(event: DomainEvent, viewer: EventViewer, unitPath: readonly string[] | null): boolean {
  if (event.tenantId !== viewer.tenantId) return false;
  const rule = rules.get(event.type);
  return rule ? rule(event, viewer, unitPath) : defaultEventVisibility(event, viewer, unitPath);
}

/**
 * The public stream (TV and display pages, no sign-in) carries only events their emitter marked
 * `payload.public === true`, of the tenant, and of the requested `payload.topic` when one is given.
 */
export function isPublicEvent(event: DomainEvent, tenantId: string, topic?: string): boolean {
  if (event.tenantId !== tenantId || event.payload.public !== true) return false;
  return topic === undefined || event.payload.topic === topic;
}
