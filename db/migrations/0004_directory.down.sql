DROP TABLE locations;

ALTER TABLE advisers
  DROP KEY advisers_by_name,
  DROP KEY advisers_by_subject,
  DROP COLUMN delete_time,
  DROP COLUMN details,
  DROP COLUMN subject,
  DROP COLUMN email,
  DROP COLUMN language_codes;

ALTER TABLE organisations
  DROP KEY organisations_by_region,
  DROP KEY organisations_by_kind,
  DROP KEY organisations_by_name,
  DROP COLUMN website_uri;
