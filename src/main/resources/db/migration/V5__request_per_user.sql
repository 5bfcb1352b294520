-- Idempotency keys per user and payload (issue 10): a request id belongs to the user who sent it, and
-- names one document. The first request's kind, subject and fingerprint are kept so that the same id
-- with another document is refused, naming the first. Runs unchanged on H2 (MODE=PostgreSQL) and PostgreSQL.
create table request (
    actor       varchar(200)             not null,
    request_id  varchar(200)             not null,
    fingerprint varchar(64)              not null,
    event_kind  varchar(60)              not null,
    subject     varchar(450)             not null,
    outcome     text                     not null,
    created_at  timestamp with time zone not null,
    primary key (actor, request_id)
);

-- Keys decided before: their user, kind and subject as the audit recorded them; fingerprint unknown ('').
insert into request (actor, request_id, fingerprint, event_kind, subject, outcome, created_at)
select coalesce((select min(a.actor) from audit a where a.request_id = k.request_id), 'engine'),
       k.request_id, '',
       coalesce((select min(a.event_kind) from audit a where a.request_id = k.request_id), ''),
       coalesce((select min(a.subject) from audit a where a.request_id = k.request_id), ''),
       k.outcome, k.created_at
from request_key k;

drop table request_key;
