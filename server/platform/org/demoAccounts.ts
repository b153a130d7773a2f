import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/client.js';
import { grants } from '../policies/schema.js';
import { users } from './schema.js';

/** A module's demo staff account: a role on one unit (by unit code). */
export interface DemoStaffAccount {
  name: string;
  email: string;
  role: string;
  unit: string;
  unitCode: string;
}

/**
 * Adds demo staff accounts with their grant; returns them as the demo prints them. For module
 * seeds (the demo seed's own accounts go through the same tables).
 */
export async function addDemoStaff(
  tx: Tx,
  input: { tenantId: string; unitIds: Map<string, string>; roleIds: Map<string, string>; passwordHash: string; now: Date },
  accounts: readonly DemoStaffAccount[],
): Promise<{ name: string; email: string; role: string; unit: string }[]> {
  const { tenantId, now } = input;
  for (const account of accounts) {
    const userId = uuidv7();
    await tx.insert(users).values({ tenantId, id: userId, kind: 'staff', name: account.name, email: account.email, passwordHash: input.passwordHash, createdAt: now, updatedAt: now });
    await tx.insert(grants).values({ tenantId, id: uuidv7(), userId, roleId: input.roleIds.get(account.role)!, unitId: input.unitIds.get(account.unitCode)!, createdAt: now });
  }
  return accounts.map(({ unitCode: _code, ...a }) => a);
}
