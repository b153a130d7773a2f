import type { ComplaintStatus, WorkflowActor } from '../../../common/complaints/workflow.js';
import { HANDLED_STATUSES } from '../../../common/complaints/workflow.js';
import { type Actor, can } from '../../platform/policies/actor.js';

/** What the policies need of a report. */
export interface ComplaintFacts {
  status: ComplaintStatus;
  /** Path (root … unit) of the responsible unit. */
  unitPath: readonly string[];
  reporterUserId: string | null;
}

/** The tenant's triage desk sees and moves every report of the tenant. */
export function mayTriage(actor: Actor): boolean {
  return can(actor, 'complaints.triage');
}

/** A unit handler sees a report once it is disposed to a unit inside their grants. */
export function mayHandle(actor: Actor, c: ComplaintFacts): boolean {
  return HANDLED_STATUSES.includes(c.status) && can(actor, 'complaints.handle', c.unitPath);
}

/** Staff who may open the report in the workspace. */
export function maySeeAsStaff(actor: Actor, c: ComplaintFacts): boolean {
  return mayTriage(actor) || mayHandle(actor, c);
}

export function isReporter(actor: Actor, c: Pick<ComplaintFacts, 'reporterUserId'>): boolean {
  return actor.kind === 'user' && c.reporterUserId != null && actor.id === c.reporterUserId;
}

/** The workflow role the actor plays for this report, strongest first, or undefined. */
export function workflowRoles(actor: Actor, c: ComplaintFacts): WorkflowActor[] {
  const roles: WorkflowActor[] = [];
  if (actor.kind === 'system') roles.push('system');
  if (mayTriage(actor)) roles.push('triage');
  if (mayHandle(actor, c)) roles.push('handler');
  if (isReporter(actor, c)) roles.push('reporter');
  return roles;
}
