import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults (≈ 57 ms here), see STACK-NOTES.
const ALGORITHM_ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ALGORITHM_ARGON2ID });
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so that unknown accounts are not revealed by timing.
    await hash(password, { algorithm: ALGORITHM_ARGON2ID });
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
