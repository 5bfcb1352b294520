-- All work in flight in the store (issue 12): a new leader resumes it where the old one stopped.

-- An outbox command's attempts: how many failed, when it is tried next, and why the last one failed.
alter table outbox add column attempts integer default 0 not null;
alter table outbox add column next_attempt_at timestamp with time zone;
alter table outbox add column last_error text;
