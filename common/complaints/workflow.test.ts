import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  COMPLAINT_ACTIONS,
  COMPLAINT_STATUSES,
  type ComplaintAction,
  type ComplaintStatus,
  isPublicStatus,
  TERMINAL_STATUSES,
  transition,
  WORKFLOW_ACTORS,
  type WorkflowActor,
} from './workflow.js';

/**
 * The expected machine, written out independently of TRANSITIONS: `from action actor → to`.
 * Every (status, action, actor) triple not listed must be refused.
 */
const EXPECTED = `
submitted verify triage verified
submitted reject triage rejected
verified reject triage rejected
verified dispose triage disposed
disposed dispose triage disposed
in_progress dispose triage disposed
reopened dispose triage disposed
disposed start handler in_progress
reopened start handler in_progress
disposed request_info handler needs_info
in_progress request_info handler needs_info
needs_info provide_info reporter in_progress
disposed resolve handler resolved
in_progress resolve handler resolved
resolved close reporter closed
resolved close system closed
resolved reopen reporter reopened
submitted withdraw reporter withdrawn
`
  .trim()
  .split('\n')
  .map((l) => l.trim().split(/\s+/));

const allowed = new Map(EXPECTED.map(([from, action, actor, to]) => [`${from} ${action} ${actor}`, to]));

describe('complaint workflow', () => {
  const triples: [ComplaintStatus, ComplaintAction, WorkflowActor][] = [];
  for (const s of COMPLAINT_STATUSES) for (const a of COMPLAINT_ACTIONS) for (const r of WORKFLOW_ACTORS) triples.push([s, a, r]);

  it.each(triples)('%s --%s by %s-->', (from, action, actor) => {
    const expected = allowed.get(`${from} ${action} ${actor}`);
    const result = transition(from, action, actor);
    if (expected) {
      expect(result).toEqual({ ok: true, to: expected });
    } else {
      expect(result.ok).toBe(false);
    }
  });

  it('tells an action impossible from the status apart from an actor who may not take it', () => {
    expect(transition('disposed', 'verify', 'triage')).toEqual({ ok: false, error: 'invalid_from' });
    expect(transition('submitted', 'verify', 'handler')).toEqual({ ok: false, error: 'actor_not_allowed' });
    expect(transition('rejected', 'resolve', 'handler')).toEqual({ ok: false, error: 'invalid_from' });
  });

  it('lists the actions of a status for an actor', () => {
    expect(allowedActions('submitted', 'triage').sort()).toEqual(['reject', 'verify']);
    expect(allowedActions('submitted', 'reporter')).toEqual(['withdraw']);
    expect(allowedActions('in_progress', 'handler').sort()).toEqual(['request_info', 'resolve']);
    expect(allowedActions('closed', 'triage')).toEqual([]);
  });

  it('ends in rejected, closed and withdrawn only', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['closed', 'rejected', 'withdrawn']);
  });

  it('never makes a report public before verification or after refusal', () => {
    expect(isPublicStatus('submitted')).toBe(false);
    expect(isPublicStatus('rejected')).toBe(false);
    expect(isPublicStatus('withdrawn')).toBe(false);
    expect(isPublicStatus('verified')).toBe(true);
    expect(isPublicStatus('resolved')).toBe(true);
  });
});
