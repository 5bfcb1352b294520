-- Identities (issue 21): every resource carries a uid in its body from its creation; a name used again
-- is a new resource. The audit trail hangs on uids: each decision is linked to the resource it was
-- about and to every resource it changed, so a resource's history is its own and survives its name.
alter table audit add column subject_uid varchar(64);

create table audit_resource (
    audit_id bigint       not null,
    uid      varchar(64)  not null,
    -- the resource's name when the decision was made (KIND/NAME): a removed resource's last uid is found by it
    ref      varchar(450) not null,
    primary key (uid, audit_id)
);
create index audit_resource_ref on audit_resource (ref, audit_id);

-- Dry runs are audited too, marked as such (issue 21): they change nothing, but who tried what is known.
alter table audit add column dry_run boolean default false not null;
