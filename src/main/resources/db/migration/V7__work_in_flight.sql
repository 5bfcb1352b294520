-- All work in flight in the store (issue 12): a new leader resumes it where the old one stopped.

-- An outbox command's attempts: how many failed, when it is tried next, and why the last one failed.
alter table outbox add column attempts integer default 0 not null;
alter table outbox add column next_attempt_at timestamp with time zone;
alter table outbox add column last_error text;

-- Clocks of work in flight that are not resources: since when a followed ApplicationBackup or
-- ApplicationRestore has had no status (SILENT) or could not be read (UNSEEN), when a discovery
-- configuration last ran (DISCOVERY_RUN).
create table in_flight (
    kind     varchar(40)              not null,
    mark_key varchar(450)             not null,
    since    timestamp with time zone not null,
    detail   text,
    looked   timestamp with time zone,
    primary key (kind, mark_key)
);
