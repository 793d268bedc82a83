-- Appointment booking (careers.v1.BookingService). As in 0002 and 0004,
-- columns hold what is filtered, sorted, joined, locked on or constrained;
-- `details` holds the rest of a resource as its serialized careers.v1
-- message.
--
-- No double booking: a booking transaction locks the adviser's row
-- (advisers FOR UPDATE), re-checks that no live appointment's blocked time
-- [block_start, block_end) overlaps the new one's, and inserts. The
-- database backs it where it can: one live appointment per
-- (adviser, start, seat), and a seat number within the session's seats,
-- so neither a duplicated slot nor an oversold session can be committed
-- even by a transaction that skipped the check.

CREATE TABLE appointment_types (
  id              VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  display_name    VARCHAR(200) NOT NULL,
  details         MEDIUMBLOB NOT NULL,
  version         BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time     DATETIME(6) NOT NULL,
  update_time     DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  KEY appointment_types_by_name (display_name, id),
  KEY appointment_types_by_organisation (organisation_id, display_name, id),
  CONSTRAINT appointment_types_organisation_fk
    FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Local times + IANA zone live in `details`; valid_from / valid_to (local
-- dates) let a search read only the rules that can apply.
CREATE TABLE availability_rules (
  adviser_id  VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  id          VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind        VARCHAR(16) CHARACTER SET ascii NOT NULL,
  valid_from  DATE NOT NULL,
  valid_to    DATE NULL,
  details     MEDIUMBLOB NOT NULL,
  create_time DATETIME(6) NOT NULL,
  PRIMARY KEY (adviser_id, id),
  KEY availability_rules_by_dates (adviser_id, valid_from, valid_to),
  CONSTRAINT availability_rules_adviser_fk FOREIGN KEY (adviser_id) REFERENCES advisers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- organisation_id is the adviser's, for an organisation's listing.
-- live_start is the start while the appointment is live (not cancelled).
CREATE TABLE appointments (
  id                  VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  profile_id          VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  adviser_id          VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  organisation_id     VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  appointment_type_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  start_time          DATETIME(6) NOT NULL,
  end_time            DATETIME(6) NOT NULL,
  block_start         DATETIME(6) NOT NULL,
  block_end           DATETIME(6) NOT NULL,
  seats               SMALLINT UNSIGNED NOT NULL,
  seat                SMALLINT UNSIGNED NOT NULL,
  state               VARCHAR(16) CHARACTER SET ascii NOT NULL,
  rescheduled_from_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  details             MEDIUMBLOB NOT NULL,
  sequence            INT UNSIGNED NOT NULL DEFAULT 0,
  version             BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time         DATETIME(6) NOT NULL,
  update_time         DATETIME(6) NOT NULL,
  live_start          DATETIME(6)
    GENERATED ALWAYS AS (IF(state = 'CANCELLED', NULL, start_time)) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY appointments_one_per_seat (adviser_id, live_start, seat),
  UNIQUE KEY appointments_rescheduled_once (rescheduled_from_id),
  KEY appointments_by_adviser_block (adviser_id, block_start, block_end),
  KEY appointments_by_adviser (adviser_id, start_time, id),
  KEY appointments_by_profile (profile_id, start_time, id),
  KEY appointments_by_organisation (organisation_id, start_time, id),
  CONSTRAINT appointments_seat_in_session CHECK (seat BETWEEN 1 AND seats),
  CONSTRAINT appointments_times CHECK (block_start <= start_time AND start_time < end_time
                                       AND end_time <= block_end),
  CONSTRAINT appointments_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id),
  CONSTRAINT appointments_adviser_fk FOREIGN KEY (adviser_id) REFERENCES advisers (id),
  CONSTRAINT appointments_type_fk FOREIGN KEY (appointment_type_id) REFERENCES appointment_types (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The reminder outbox: rows written with the booking and cancelled with
-- it, in the same transaction. A sender (later) delivers PENDING rows that
-- are due and marks them SENT.
CREATE TABLE appointment_reminders (
  appointment_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  kind           VARCHAR(16) CHARACTER SET ascii NOT NULL,
  due_time       DATETIME(6) NOT NULL,
  state          VARCHAR(16) CHARACTER SET ascii NOT NULL,
  create_time    DATETIME(6) NOT NULL,
  update_time    DATETIME(6) NOT NULL,
  PRIMARY KEY (appointment_id, kind),
  KEY appointment_reminders_due (state, due_time),
  CONSTRAINT appointment_reminders_appointment_fk
    FOREIGN KEY (appointment_id) REFERENCES appointments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One live entry (WAITING or OFFERED) per person per session.
CREATE TABLE waitlist_entries (
  id                  VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  profile_id          VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  adviser_id          VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  appointment_type_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  start_time          DATETIME(6) NOT NULL,
  state               VARCHAR(16) CHARACTER SET ascii NOT NULL,
  offer_expire_time   DATETIME(6) NULL,
  details             MEDIUMBLOB NOT NULL,
  version             BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time         DATETIME(6) NOT NULL,
  live_profile_id     VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin
    GENERATED ALWAYS AS (IF(state IN ('WAITING', 'OFFERED'), profile_id, NULL)) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY waitlist_one_live_per_person (adviser_id, start_time, appointment_type_id, live_profile_id),
  KEY waitlist_queue (adviser_id, start_time, appointment_type_id, state, create_time, id),
  KEY waitlist_by_profile (profile_id, create_time, id),
  KEY waitlist_offers (state, offer_expire_time),
  CONSTRAINT waitlist_profile_fk FOREIGN KEY (profile_id) REFERENCES profiles (id),
  CONSTRAINT waitlist_adviser_fk FOREIGN KEY (adviser_id) REFERENCES advisers (id),
  CONSTRAINT waitlist_type_fk FOREIGN KEY (appointment_type_id) REFERENCES appointment_types (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
