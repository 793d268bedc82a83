-- The purpose of an access (the `access-reason` request metadata, e.g.
-- "preparing for appointments/01J..."), kept on the access record the person
-- reads. NULL when the caller gave none, and for events from before this
-- migration. At most 200 code points, checked by the server.

ALTER TABLE access_events
  ADD COLUMN reason VARCHAR(200) NULL AFTER request_id;
