-- Lifelong career profiles and their action plans (goals and actions).
-- Columns hold what is filtered, sorted or joined on; `details` holds the
-- rest of the profile as a serialized careers.v1.Profile (the fields that
-- have columns are cleared in it).

CREATE TABLE profiles (
  id                   VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  given_name           VARCHAR(100) NOT NULL,
  family_name          VARCHAR(100) NOT NULL,
  birth_date           DATE NOT NULL,
  preferred_language   VARCHAR(8) CHARACTER SET ascii NOT NULL,
  life_stage           VARCHAR(32) CHARACTER SET ascii NOT NULL,
  school_stage         VARCHAR(16) CHARACTER SET ascii NULL,
  support_level        VARCHAR(16) CHARACTER SET ascii NOT NULL,
  home_organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  details              MEDIUMBLOB NOT NULL,
  version              BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time          DATETIME(6) NOT NULL,
  update_time          DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY profiles_by_name (family_name, given_name, id),
  KEY profiles_by_organisation (home_organisation_id, family_name, given_name, id),
  KEY profiles_by_life_stage (life_stage, family_name, given_name, id),
  KEY profiles_by_support_level (support_level, family_name, given_name, id),
  CONSTRAINT profiles_home_organisation_fk
    FOREIGN KEY (home_organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE goals (
  profile_id  VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id          VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title       VARCHAR(200) NOT NULL,
  description TEXT NOT NULL,
  goal_type   VARCHAR(32) CHARACTER SET ascii NOT NULL,
  state       VARCHAR(32) CHARACTER SET ascii NOT NULL,
  target_date DATE NULL,
  version     BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  state_time  DATETIME(6) NOT NULL,
  PRIMARY KEY (profile_id, id),
  KEY goals_by_create_time (profile_id, create_time, id),
  CONSTRAINT goals_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE actions (
  profile_id               VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id                       VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  title                    VARCHAR(200) NOT NULL,
  description              TEXT NOT NULL,
  goal_id                  VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  owner                    VARCHAR(16) CHARACTER SET ascii NOT NULL,
  owner_adviser_id         VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  due_date                 DATE NULL,
  state                    VARCHAR(16) CHARACTER SET ascii NOT NULL,
  signpost_title           VARCHAR(200) NULL,
  signpost_organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  signpost_uri             VARCHAR(2000) NULL,
  version                  BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time              DATETIME(6) NOT NULL,
  update_time              DATETIME(6) NOT NULL,
  state_time               DATETIME(6) NOT NULL,
  PRIMARY KEY (profile_id, id),
  KEY actions_by_create_time (profile_id, create_time, id),
  KEY actions_by_owner_adviser (owner_adviser_id, state, due_date),
  CONSTRAINT actions_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id),
  CONSTRAINT actions_goal_fk FOREIGN KEY (profile_id, goal_id) REFERENCES goals (profile_id, id),
  CONSTRAINT actions_owner_adviser_fk FOREIGN KEY (owner_adviser_id) REFERENCES advisers (id),
  CONSTRAINT actions_signpost_organisation_fk
    FOREIGN KEY (signpost_organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
