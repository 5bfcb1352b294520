-- Rules in ops staff's hands (issue 13): every decision names the generation of the rules that made
-- it (0: no rule decided, as for a malformed document), and every refusal, not only the first.
alter table audit add column generation bigint default 0 not null;
alter table audit add column refusals text;
