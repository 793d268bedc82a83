-- Consent-scoped sharing and the access record (issue 3).
-- "One active X per Y" rules are unique keys on stored generated columns
-- that are NULL once the row is no longer active, so concurrent grants or
-- links cannot both succeed.

CREATE TABLE consents (
  profile_id                   VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id                           VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  purpose                      VARCHAR(40) CHARACTER SET ascii NOT NULL,
  organisation_id              VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  state                        VARCHAR(16) CHARACTER SET ascii NOT NULL,
  grant_time                   DATETIME(6) NOT NULL,
  granted_by_subject           VARCHAR(200) NOT NULL,
  granted_by_role              VARCHAR(16) CHARACTER SET ascii NOT NULL,
  granted_by_organisation_id   VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  withdraw_time                DATETIME(6) NULL,
  withdrawn_by_subject         VARCHAR(200) NULL,
  withdrawn_by_role            VARCHAR(16) CHARACTER SET ascii NULL,
  withdrawn_by_organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  version                      BIGINT UNSIGNED NOT NULL DEFAULT 1,
  active_key                   VARCHAR(110) CHARACTER SET ascii COLLATE ascii_bin
    GENERATED ALWAYS AS (IF(state = 'ACTIVE',
                            CONCAT(purpose, ':', IFNULL(organisation_id, '')), NULL)) STORED,
  PRIMARY KEY (profile_id, id),
  UNIQUE KEY consents_one_active (profile_id, active_key),
  KEY consents_by_active_key (active_key, profile_id),
  KEY consents_by_grant_time (profile_id, grant_time, id),
  CONSTRAINT consents_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id),
  CONSTRAINT consents_organisation_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE guardian_links (
  profile_id                 VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id                         VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  guardian_subject           VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  display_name               VARCHAR(100) NOT NULL,
  relationship               VARCHAR(16) CHARACTER SET ascii NOT NULL,
  state                      VARCHAR(16) CHARACTER SET ascii NOT NULL,
  create_time                DATETIME(6) NOT NULL,
  created_by_subject         VARCHAR(200) NOT NULL,
  created_by_role            VARCHAR(16) CHARACTER SET ascii NOT NULL,
  created_by_organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  confirm_time               DATETIME(6) NULL,
  end_time                   DATETIME(6) NULL,
  ended_by_subject           VARCHAR(200) NULL,
  ended_by_role              VARCHAR(16) CHARACTER SET ascii NULL,
  ended_by_organisation_id   VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  version                    BIGINT UNSIGNED NOT NULL DEFAULT 1,
  active_subject             VARCHAR(200) COLLATE utf8mb4_bin
    GENERATED ALWAYS AS (IF(state = 'ACTIVE', guardian_subject, NULL)) STORED,
  PRIMARY KEY (profile_id, id),
  UNIQUE KEY guardian_links_one_active (profile_id, active_subject),
  KEY guardian_links_by_guardian (active_subject, profile_id),
  KEY guardian_links_by_create_time (profile_id, create_time, id),
  CONSTRAINT guardian_links_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Append-only. No foreign keys: recording an access must never fail
-- because of what was accessed. Ids are time-ordered.
CREATE TABLE access_events (
  profile_id            VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id                    VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  time                  DATETIME(6) NOT NULL,
  actor_subject         VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  actor_role            VARCHAR(16) CHARACTER SET ascii NOT NULL,
  actor_organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  action                VARCHAR(8) CHARACTER SET ascii NOT NULL,
  method                VARCHAR(120) CHARACTER SET ascii NOT NULL,
  resource              VARCHAR(300) CHARACTER SET ascii NOT NULL,
  request_id            VARCHAR(64) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (profile_id, id),
  KEY access_events_by_actor (actor_subject, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
