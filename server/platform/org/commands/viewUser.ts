import type { z } from 'zod';
import { type Ctx, inTransaction } from '../../context.js';
import { NotFound } from '../../errors.js';
import { can } from '../../policies/actor.js';
import { mayManageUser, maySeeUser } from '../policies.js';
import { scopeOf } from '../../policies/scope.js';
import { presentUser, type UserDetail, type UserView } from '../presenters.js';
import { findUser, grantsOfUsers, type ListUsersInput, listUserRows, presentGrant, unitInScope } from '../queries.js';

/**
 * One account with its grants. A citizen's e-mail and phone are shown unmasked only to holders of
 * `personal_data.read`, and that reading is audited (`user.personal_data_viewed`, UU PDP).
 */
export async function viewUser(ctx: Ctx, id: string): Promise<z.infer<typeof UserDetail>> {
  const target = await findUser(ctx.db.orm, ctx.tenant.id, id);
  if (!target || !maySeeUser(ctx.actor, target)) throw new NotFound();
  const reveal = can(ctx.actor, 'personal_data.read');
  if (target.user.kind === 'citizen' && reveal) {
    await inTransaction(ctx, (tx) => tx.audit({ action: 'user.personal_data_viewed', entityType: 'user', entityId: id, data: { fields: ['email', 'phone'] } }));
  }
  const view = presentUser(
    target.user,
    target.grants.map((g) => presentGrant(ctx.actor, g)),
    reveal,
  );
  return { ...view, updatedAt: target.user.updated_at, manageable: mayManageUser(ctx.actor, target) };
}

/**
 * A page of the accounts the actor manages. Citizens' contact data is masked unless the actor
 * holds `personal_data.read`; when unmasked citizens are listed, that is audited once per page
 * (`user.personal_data_listed`, with their ids).
 */
export async function browseUsers(ctx: Ctx, input: ListUsersInput): Promise<{ items: UserView[]; nextCursor: string | null }> {
  const scope = scopeOf(ctx.actor, 'users.manage');
  if (input.unitId) await unitInScope(ctx.db.orm, ctx, input.unitId, 'users.manage');
  const { rows, nextCursor } = await listUserRows(ctx, scope, input);
  const grants = await grantsOfUsers(
    ctx.db.orm,
    ctx.tenant.id,
    rows.map((r) => r.id),
  );
  const reveal = can(ctx.actor, 'personal_data.read');
  const revealed = reveal ? rows.filter((r) => r.kind === 'citizen').map((r) => r.id) : [];
  if (revealed.length) {
    await inTransaction(ctx, (tx) => tx.audit({ action: 'user.personal_data_listed', entityType: 'user', data: { userIds: revealed, fields: ['email', 'phone'] } }));
  }
  const items = rows.map((r) =>
    presentUser(
      r,
      grants.filter((g) => g.user_id === r.id).map((g) => presentGrant(ctx.actor, g)),
      reveal,
    ),
  );
  return { items, nextCursor };
}
