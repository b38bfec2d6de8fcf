/** The publications module's table: published, frozen public payloads (issue 16); merged into db/database.types.ts `Database`. */
export interface PublicationsTables {
  publications: PublicationsTable;
}

export interface PublicationsTable {
  id: string;
  kind: string;
  source_id: string;
  scope_id: string | null;
  as_of: string | null;
  title: string;
  payload_json: string;
  etag: string;
  published_at: string;
  published_by: string | null;
  withdrawn_at: string | null;
  withdrawn_by: string | null;
  withdrawn_reason: string | null;
}
