-- The change feed (docs/architecture.md "The change feed"): every write's
-- transaction appends one row per resource it changed, without a sequence
-- (so writers never wait for each other). The sequencer then numbers the
-- committed rows in batches, one transaction at a time, holding the one
-- row of change_sequence: sequences are dense and in the order the
-- sequencer saw the changes committed, so a reader that has seen sequence n
-- has seen every change numbered before it.

CREATE TABLE change_sequence (
  id             TINYINT UNSIGNED NOT NULL,
  last_sequence  BIGINT UNSIGNED NOT NULL,
  -- Changes at or below this sequence may have been pruned: a token from
  -- before it cannot be resumed.
  pruned_through BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB;

INSERT INTO change_sequence (id, last_sequence, pruned_through) VALUES (1, 0, 0);

-- Append-only, pruned by age. No foreign keys: the feed outlives what it
-- names (a deleted rule, an erased person).
CREATE TABLE changes (
  id                    BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  -- NULL until the sequencer numbers the row.
  sequence              BIGINT UNSIGNED NULL,
  commit_time           DATETIME(6) NOT NULL,
  resource              VARCHAR(300) CHARACTER SET ascii NOT NULL,
  resource_type         VARCHAR(60) CHARACTER SET ascii NOT NULL,
  kind                  VARCHAR(16) CHARACTER SET ascii NOT NULL,
  -- Top-level field names, comma-separated.
  field_paths           VARCHAR(2000) CHARACTER SET ascii NOT NULL,
  profile_id            VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  -- Who may see it, as the facts stood when it committed: the
  -- organisations the profile was shared with plus the appointment's
  -- adviser's organisation (space-separated ids), and the active guardian
  -- links (JSON: subject, confirm_time, birth_date), whose effect the
  -- domain decides for the commit time.
  organisations         VARCHAR(4000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  guardians             TEXT NULL,
  actor_subject         VARCHAR(200) COLLATE utf8mb4_bin NOT NULL,
  actor_role            VARCHAR(16) CHARACTER SET ascii NOT NULL,
  actor_organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  method                VARCHAR(120) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (id),
  -- The feed's order. Pruning takes the oldest by sequence too, so the
  -- time needs no index of its own.
  UNIQUE KEY changes_by_sequence (sequence)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
