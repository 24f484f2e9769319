import type { PGlite } from '@electric-sql/pglite';

/**
 * What a fresh PGlite needs to look like Redshift: the UTC clock, Redshift functions Postgres
 * lacks, and the load-error system tables. They live in pg_catalog, like Redshift's system
 * tables, so they resolve whatever the search_path.
 */
const SYSTEM_SQL = `
SET TIME ZONE 'UTC';
SET allow_system_table_mods = on;

CREATE TABLE IF NOT EXISTS pg_catalog.stl_load_errors (
  userid integer,
  slice integer,
  tbl integer,
  starttime timestamp,
  session integer,
  query integer,
  filename character(256),
  line_number bigint,
  colname character(127),
  type character(10),
  col_length character(10),
  position integer,
  raw_line character(1024),
  raw_field_value character(1024),
  err_code integer,
  err_reason character(100),
  is_partial integer,
  start_offset bigint
);

CREATE OR REPLACE VIEW pg_catalog.sys_load_error_detail AS
SELECT userid AS user_id,
       query AS query_id,
       session AS session_id,
       current_database()::varchar(128) AS database_name,
       tbl AS table_id,
       starttime AS start_time,
       rtrim(filename)::varchar(256) AS file_name,
       line_number,
       rtrim(colname)::varchar(127) AS column_name,
       rtrim(type)::varchar(10) AS column_type,
       rtrim(col_length)::varchar(10) AS column_length,
       position,
       err_code AS error_code,
       rtrim(err_reason)::varchar(512) AS error_message,
       rtrim(raw_line)::varchar(1024) AS raw_line,
       rtrim(raw_field_value)::varchar(1024) AS raw_field_value
FROM pg_catalog.stl_load_errors;

CREATE OR REPLACE FUNCTION pg_catalog.getdate() RETURNS timestamp
  LANGUAGE sql STABLE AS $$ SELECT date_trunc('second', statement_timestamp())::timestamp $$;

CREATE OR REPLACE FUNCTION pg_catalog.nvl(anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce($1, $2) $$;
CREATE OR REPLACE FUNCTION pg_catalog.nvl(anycompatible, anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce($1, $2, $3) $$;
CREATE OR REPLACE FUNCTION pg_catalog.nvl2(anyelement, anycompatible, anycompatible) RETURNS anycompatible
  LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN $1 IS NOT NULL THEN $2 ELSE $3 END $$;
CREATE OR REPLACE FUNCTION pg_catalog.len(text) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$ SELECT length($1) $$;

CREATE OR REPLACE FUNCTION pg_catalog.dateadd(text, bigint, timestamp) RETURNS timestamp
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE $1
    WHEN 'quarter' THEN $3 + make_interval(months => 3 * $2::int)
    WHEN 'milliseconds' THEN $3 + $2 * interval '1 millisecond'
    WHEN 'microseconds' THEN $3 + $2 * interval '1 microsecond'
    WHEN 'decade' THEN $3 + make_interval(years => 10 * $2::int)
    WHEN 'century' THEN $3 + make_interval(years => 100 * $2::int)
    WHEN 'millennium' THEN $3 + make_interval(years => 1000 * $2::int)
    ELSE $3 + ($2 || ' ' || $1)::interval
  END $$;

CREATE OR REPLACE FUNCTION pg_catalog.datediff(text, timestamp, timestamp) RETURNS bigint
  LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE $1
    WHEN 'year' THEN extract(year FROM $3) - extract(year FROM $2)
    WHEN 'quarter' THEN (extract(year FROM $3) * 4 + extract(quarter FROM $3)) - (extract(year FROM $2) * 4 + extract(quarter FROM $2))
    WHEN 'month' THEN (extract(year FROM $3) * 12 + extract(month FROM $3)) - (extract(year FROM $2) * 12 + extract(month FROM $2))
    WHEN 'week' THEN (date_trunc('week', $3)::date - date_trunc('week', $2)::date) / 7
    WHEN 'day' THEN $3::date - $2::date
    WHEN 'hour' THEN (extract(epoch FROM date_trunc('hour', $3)) - extract(epoch FROM date_trunc('hour', $2))) / 3600
    WHEN 'minute' THEN (extract(epoch FROM date_trunc('minute', $3)) - extract(epoch FROM date_trunc('minute', $2))) / 60
    WHEN 'second' THEN extract(epoch FROM date_trunc('second', $3)) - extract(epoch FROM date_trunc('second', $2))
    WHEN 'milliseconds' THEN trunc((extract(epoch FROM $3) - extract(epoch FROM $2)) * 1000)
    WHEN 'microseconds' THEN trunc((extract(epoch FROM $3) - extract(epoch FROM $2)) * 1000000)
  END::bigint $$;

CREATE OR REPLACE FUNCTION pg_catalog.pg_last_copy_count() RETURNS bigint
  LANGUAGE sql STABLE AS $$ SELECT coalesce(nullif(current_setting('emulator.last_copy_count', true), ''), '0')::bigint $$;

SET allow_system_table_mods = off;

-- Redshift reads backslash escapes in ordinary string literals ('a\\b' is a\b), as Postgres did
-- before standard_conforming_strings.
SET standard_conforming_strings = off;
SET escape_string_warning = off;
`;

export async function installSystemObjects(db: PGlite): Promise<void> {
  await db.exec(SYSTEM_SQL);
}
