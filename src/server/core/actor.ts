import type { UserRole } from '../../shared/enums.ts';

/** Who is making a request: set from the session cookie by the auth hook; null when anonymous. */
export interface Actor {
  userId: string;
  orgId: string;
  role: UserRole;
  displayName: string;
}
