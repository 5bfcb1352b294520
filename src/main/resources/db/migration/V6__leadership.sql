-- Fencing (issue 12): one row, the leadership epoch. A replica that wins the election (Camel's cluster
-- service) takes the next epoch; every commit checks, in its own transaction, that the epoch is still
-- the one it took, so a deposed leader that still believes it leads commits nothing.
create table leadership (
    id      integer                  primary key,
    epoch   bigint                   not null,
    holder  varchar(200),
    address varchar(500),
    since   timestamp with time zone
);
insert into leadership (id, epoch) values (1, 0);
