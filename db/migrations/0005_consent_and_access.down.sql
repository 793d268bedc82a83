DROP TABLE access_events;
DROP TABLE guardian_links;
DROP TABLE consents;
