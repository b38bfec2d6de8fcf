import { z } from 'zod';
import { USER_ROLES } from '../enums.ts';
import { Id, IsoDateTime, Name, Version } from './common.schema.ts';

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits, _ . @ - only');
export const Password = z.string().min(10).max(200);

export const User = z.object({
  id: Id,
  username: Username,
  displayName: Name,
  orgId: Id,
  role: z.enum(USER_ROLES),
  isActive: z.boolean(),
  version: Version,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type User = z.infer<typeof User>;

export const CreateUserBody = z.object({
  username: Username,
  displayName: Name,
  orgId: Id,
  role: z.enum(USER_ROLES),
  password: Password,
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.object({
  version: Version,
  displayName: Name.optional(),
  orgId: Id.optional(),
  role: z.enum(USER_ROLES).optional(),
  isActive: z.boolean().optional(),
  /** Admin reset. */
  password: Password.optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const UserList = z.object({ items: z.array(User), total: z.number().int() });

export const LoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: Password });

/** GET /api/auth/me and the login response: who I am, my organisation, and the CSRF token to echo. */
export const Session = z.object({
  user: User,
  org: z.object({ id: Id, name: Name }),
  csrfToken: z.string(),
});
export type Session = z.infer<typeof Session>;

/** GET /api/auth/session: the Session, or null when nobody is signed in (200 either way). */
export const SessionState = z.object({ session: Session.nullable() });
export type SessionState = z.infer<typeof SessionState>;
