-- The directory service (careers.v1.DirectoryService): the rest of the
-- fields of organisations and advisers, soft-deleted advisers, and
-- locations. As in 0002, columns hold what is filtered, sorted, joined or
-- unique; `details` holds the rest of a resource as its serialized
-- careers.v1 message with the column fields cleared (NULL: nothing more).

ALTER TABLE organisations
  ADD COLUMN website_uri VARCHAR(2000) NOT NULL DEFAULT '' AFTER parent_id,
  ADD KEY organisations_by_name (display_name, id),
  ADD KEY organisations_by_kind (kind, display_name, id),
  ADD KEY organisations_by_region (region, display_name, id);

-- language_codes: the codes in the adviser's order, comma-separated
-- ("cy,en"), so FIND_IN_SET can filter on one. `subject` is the identity
-- provider's `sub` (at most 255 ASCII characters by OpenID Connect), unique
-- where set. Rows from before this migration work in English.
ALTER TABLE advisers
  ADD COLUMN language_codes VARCHAR(32) CHARACTER SET ascii NOT NULL DEFAULT 'en' AFTER display_name,
  ADD COLUMN email VARCHAR(254) NULL AFTER active,
  ADD COLUMN subject VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER email,
  ADD COLUMN details MEDIUMBLOB NULL AFTER subject,
  ADD COLUMN delete_time DATETIME(6) NULL AFTER update_time,
  ADD UNIQUE KEY advisers_by_subject (subject),
  ADD KEY advisers_by_name (display_name, id);

CREATE TABLE locations (
  id              VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name    VARCHAR(200) NOT NULL,
  kind            VARCHAR(32) CHARACTER SET ascii NOT NULL,
  time_zone       VARCHAR(64) CHARACTER SET ascii NOT NULL,
  details         MEDIUMBLOB NULL,
  version         BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time     DATETIME(6) NOT NULL,
  update_time     DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY locations_by_organisation (organisation_id, display_name, id),
  KEY locations_by_name (display_name, id),
  CONSTRAINT locations_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
