-- AIP-155 request ids: the first response to each (scope, request_id) is kept
-- for 24 hours so a retried create returns it instead of creating twice.
-- `scope` is the method and the caller; `request_hash` is SHA-256 of the
-- request without its request_id.
CREATE TABLE request_log (
  scope         VARCHAR(190) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  request_id    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  request_hash  BINARY(32) NOT NULL,
  response      MEDIUMBLOB NOT NULL,
  create_time   DATETIME(6) NOT NULL,
  expire_time   DATETIME(6) NOT NULL,
  PRIMARY KEY (scope, request_id),
  KEY request_log_by_expiry (expire_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
