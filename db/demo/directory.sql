-- Demo organisations and advisers (fictional). INSERT IGNORE keeps reloads
-- harmless. Loaded by `careers-server --load-demo-data`.
INSERT IGNORE INTO organisations (id, display_name, kind, region, parent_id, create_time, update_time) VALUES
  ('sds', 'Skills Development Scotland', 'CAREERS_SERVICE', 'Scotland', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('careers-wales', 'Careers Wales', 'CAREERS_SERVICE', 'Wales', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('leith-academy', 'Leith Academy', 'SCHOOL', 'City of Edinburgh', 'sds', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('ysgol-glan-taf', 'Ysgol Gyfun Glantaf', 'SCHOOL', 'Cardiff', 'careers-wales', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('edinburgh-college', 'Edinburgh College', 'COLLEGE', 'City of Edinburgh', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));

INSERT IGNORE INTO advisers (id, organisation_id, display_name, active, create_time, update_time) VALUES
  ('morag-campbell', 'sds', 'Morag Campbell', TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('ewan-macleod', 'sds', 'Ewan MacLeod', TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sian-hughes', 'careers-wales', 'Siân Hughes', TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('rhys-evans', 'careers-wales', 'Rhys Evans', TRUE, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
