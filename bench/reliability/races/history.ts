/**
 * Every write to `github_user_tokens`, recorded by a trigger installed in the run's database for the
 * races (test instrumentation, never part of the migrations), so "the version goes up by exactly one per
 * write" is checked on every write the workers made, not only on the final row.
 */
import { sql } from "../harness/client.ts";

/** Creates the history table and trigger (idempotent). */
export async function installHistory(): Promise<void> {
  await sql().query(`
    create table if not exists reliability_row_history (
      id bigserial primary key, op text not null, user_id text not null,
      old_version int, new_version int, old_connection uuid, new_connection uuid
    );
    create or replace function reliability_record_row() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into reliability_row_history (op, user_id, new_version, new_connection)
        values ('INSERT', new.user_id, new.version, new.connection_id);
      elsif tg_op = 'UPDATE' then
        insert into reliability_row_history (op, user_id, old_version, new_version, old_connection, new_connection)
        values ('UPDATE', new.user_id, old.version, new.version, old.connection_id, new.connection_id);
      else
        insert into reliability_row_history (op, user_id, old_version, old_connection)
        values ('DELETE', old.user_id, old.version, old.connection_id);
      end if;
      return null;
    end $$;
    drop trigger if exists reliability_row_history on github_user_tokens;
    create trigger reliability_row_history after insert or update or delete on github_user_tokens
      for each row execute function reliability_record_row();
  `);
}

export interface Write {
  id: number;
  op: "INSERT" | "UPDATE" | "DELETE";
  old_version: number | null;
  new_version: number | null;
}

/** Writes to a user's row after history id `after`, oldest first. */
export async function writesSince(userId: string, after: number): Promise<Write[]> {
  const { rows } = await sql().query<Write>(
    "select id::int, op, old_version, new_version from reliability_row_history where user_id = $1 and id > $2 order by id",
    [userId, after],
  );
  return rows;
}

/** The newest history id: a round's writes are those after it. */
export async function lastHistoryId(): Promise<number> {
  const { rows } = await sql().query<{ id: number | null }>(
    "select max(id)::int as id from reliability_row_history",
  );
  return rows[0]?.id ?? 0;
}

/** Writes that broke "+1 per write": an update not old + 1, an insert not at version 1. */
export function badWrites(writes: Write[]): string[] {
  return writes
    .filter((w) =>
      w.op === "UPDATE"
        ? w.new_version !== (w.old_version ?? 0) + 1
        : w.op === "INSERT"
          ? w.new_version !== 1
          : false,
    )
    .map((w) => `${w.op} v${w.old_version}→v${w.new_version}`);
}
