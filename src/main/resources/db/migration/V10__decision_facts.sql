-- Replay (issue 13): each decision's audit record keeps the facts its event was given (the event, the
-- envelope, the resources), so that it can be decided again, as it was, by other rules.
alter table audit add column facts text;
