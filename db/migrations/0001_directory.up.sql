-- The directory the profile service refers to: organisations and advisers.
-- Issue 3 adds the directory service and the rest of their fields.
-- Conventions for every table: InnoDB, utf8mb4, times in UTC as DATETIME(6),
-- opaque ASCII ids (never auto-increment), `version` for etags.

CREATE TABLE organisations (
  id           VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name VARCHAR(200) NOT NULL,
  kind         VARCHAR(32) CHARACTER SET ascii NOT NULL,
  region       VARCHAR(100) NOT NULL DEFAULT '',
  parent_id    VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  version      BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time  DATETIME(6) NOT NULL,
  update_time  DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  CONSTRAINT organisations_parent_fk FOREIGN KEY (parent_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE advisers (
  id              VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name    VARCHAR(200) NOT NULL,
  active          BOOLEAN NOT NULL DEFAULT TRUE,
  version         BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time     DATETIME(6) NOT NULL,
  update_time     DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY advisers_organisation (organisation_id, display_name),
  CONSTRAINT advisers_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
