-- Typed commands (issue 12): each outbox row holds its command whole, with the resources its effect
-- needs as the decision left them, so any leader carries it out without a catalog. The args column
-- keeps the command's words for people reading the table.
alter table outbox add column body text;
