-- One sync per bucket folder at a time, across threads and engine instances sharing this database:
-- a lease row per (endpoint, bucket, prefix), claimed with a conditional update and renewed while the
-- sync runs. An engine that dies leaves a lease that expires instead of a lock held forever.
create table bucket_lease (
    bucket_key varchar(1200)            primary key,
    holder     varchar(200)             not null,
    expires_at timestamp with time zone not null
);
