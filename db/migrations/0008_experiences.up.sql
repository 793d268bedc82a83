-- The experience log (careers.v1.SkillsService): experiences, the skills
-- each showed, and attestations. As in 0002 and 0006, columns hold what is
-- filtered, sorted, joined, locked on or constrained; `details` holds the
-- whole resource (without its etag) as its serialized careers.v1 message.
--
-- experience_skills repeats each experience's skill claims as rows, written
-- in the same transaction as the experience, so the skills summary is one
-- GROUP BY in SQL and `skill = "skills/x"` filters are an index lookup.

CREATE TABLE experiences (
  profile_id  VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id          VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind        VARCHAR(32) CHARACTER SET ascii NOT NULL,
  state       VARCHAR(32) CHARACTER SET ascii NOT NULL,
  start_date  DATE NOT NULL,
  end_date    DATE NULL,
  hours       DECIMAL(7, 2) NOT NULL DEFAULT 0,
  details     MEDIUMBLOB NOT NULL,
  version     BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (profile_id, id),
  -- Listing newest first.
  KEY experiences_by_start (profile_id, start_date, id),
  CONSTRAINT experiences_dates CHECK (end_date IS NULL OR end_date >= start_date),
  CONSTRAINT experiences_hours CHECK (hours BETWEEN 0 AND 20000),
  CONSTRAINT experiences_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One row per skill claimed by an experience.
CREATE TABLE experience_skills (
  profile_id    VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  experience_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  skill_id      VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  level         TINYINT UNSIGNED NOT NULL,
  source        VARCHAR(16) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (profile_id, experience_id, skill_id),
  KEY experience_skills_by_skill (profile_id, skill_id, experience_id, level),
  KEY experience_skills_skill (skill_id),
  CONSTRAINT experience_skills_level CHECK (level BETWEEN 1 AND 4),
  CONSTRAINT experience_skills_experience_fk
    FOREIGN KEY (profile_id, experience_id) REFERENCES experiences (profile_id, id),
  CONSTRAINT experience_skills_skill_fk FOREIGN KEY (skill_id) REFERENCES skills (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Requests to vouch for an experience. An outside referee's link carries a
-- random token; only its SHA-256 (token_hash) is kept. prior_state is the
-- experience's state before the request, restored if the request expires.
CREATE TABLE attestations (
  profile_id    VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  experience_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id            VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  adviser_id    VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  token_hash    BINARY(32) NULL,
  state         VARCHAR(16) CHARACTER SET ascii NOT NULL,
  prior_state   VARCHAR(32) CHARACTER SET ascii NOT NULL,
  expire_time   DATETIME(6) NULL,
  details       MEDIUMBLOB NOT NULL,
  version       BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time   DATETIME(6) NOT NULL,
  update_time   DATETIME(6) NOT NULL,
  PRIMARY KEY (profile_id, experience_id, id),
  -- The per-profile rate limit counts requests since a time.
  KEY attestations_by_profile_time (profile_id, create_time),
  KEY attestations_by_experience_time (profile_id, experience_id, create_time, id),
  KEY attestations_due (state, expire_time),
  KEY attestations_by_adviser (adviser_id, state, create_time),
  CONSTRAINT attestations_one_attester
    CHECK ((adviser_id IS NULL) <> (token_hash IS NULL)),
  CONSTRAINT attestations_experience_fk
    FOREIGN KEY (profile_id, experience_id) REFERENCES experiences (profile_id, id),
  CONSTRAINT attestations_adviser_fk FOREIGN KEY (adviser_id) REFERENCES advisers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
