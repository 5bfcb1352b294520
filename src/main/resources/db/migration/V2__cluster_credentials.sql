-- Each cluster's kubeconfig (inline) or a reference to it (file:PATH, read when the client is built).
-- Kept apart from the catalog so resource bodies, audit records and outcomes never carry it.
create table cluster_credential (
    cluster    varchar(400)             primary key,
    kubeconfig text                     not null,
    updated_at timestamp with time zone not null
);
