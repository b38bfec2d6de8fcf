/** The settings module's table: the installation's name and office name, one row (id = 1); merged into db/database.types.ts `Database`. */
export interface SettingsTables {
  installation_settings: InstallationSettingsTable;
}

export interface InstallationSettingsTable {
  id: number;
  name: string;
  office_name: string;
  version: number;
  updated_at: string;
}
