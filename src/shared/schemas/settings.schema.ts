import { z } from 'zod';
import { CalendarDate, IsoDateTime, Name, Version } from './common.schema.ts';

/**
 * The installation's settings: what this ledger is called (header, login page, page title) and
 * the office that runs it (messages that say whom to ask). Nothing programme-specific is built
 * into the product; these words come from here and from each plan.
 */
export const InstallationSettings = z.object({
  name: Name,
  officeName: Name,
  /**
   * The server's "today" (LUOSHI_TODAY, or today in Asia/Shanghai): the date the ledger's
   * statuses are computed for, so date defaults in the web agree with the data, not the browser.
   */
  today: CalendarDate,
  version: Version,
  updatedAt: IsoDateTime,
  /**
   * Whether the caller may change these settings (an admin of the root office, or of an install
   * without tenants): the settings screen shows the form read-only otherwise, instead of a save
   * that the server refuses.
   */
  canEdit: z.boolean(),
});
export type InstallationSettings = z.infer<typeof InstallationSettings>;

/** What the login page may know before anyone signs in: the name only. */
export const PublicSettings = z.object({ name: Name });
export type PublicSettings = z.infer<typeof PublicSettings>;

export const UpdateSettingsBody = z.object({
  version: Version,
  name: Name.optional(),
  officeName: Name.optional(),
});
export type UpdateSettingsBody = z.infer<typeof UpdateSettingsBody>;
