ALTER TABLE access_events
  DROP COLUMN reason;
