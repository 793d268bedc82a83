-- Demo organisations, advisers and locations (fictional). INSERT IGNORE and
-- UPDATE ... WHERE subject IS NULL keep reloads harmless, on new databases
-- and on ones loaded before migration 0004. Loaded by
-- `careers-server --load-demo-data`.
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

-- The advisers' sign-ins (token `sub`), work emails, languages, and in
-- `details` a serialized careers.v1.Adviser with their channels and
-- specialisms (the text form is in each comment).
-- channels: IN_PERSON, VIDEO; specialisms: "Apprenticeships", "Subject choices"
UPDATE advisers SET subject = 'demo-adviser-morag-campbell', email = 'morag.campbell@sds.example',
  language_codes = 'en,gd',
  details = X'2A020102320F41707072656E746963657368697073320F5375626A6563742063686F69636573'
  WHERE id = 'morag-campbell' AND subject IS NULL;
-- channels: IN_PERSON, PHONE; specialisms: "Career change"
UPDATE advisers SET subject = 'demo-adviser-ewan-macleod', email = 'ewan.macleod@sds.example',
  language_codes = 'en',
  details = X'2A020103320D436172656572206368616E6765'
  WHERE id = 'ewan-macleod' AND subject IS NULL;
-- channels: VIDEO, PHONE; specialisms: "Prentisiaethau / Apprenticeships",
-- "Dewisiadau TGAU / GCSE options"
UPDATE advisers SET subject = 'demo-adviser-sian-hughes', email = 'sian.hughes@careerswales.example',
  language_codes = 'cy,en',
  details = X'2A02020332205072656E74697369616574686175202F2041707072656E746963657368697073321E446577697369616461752054474155202F2047435345206F7074696F6E73'
  WHERE id = 'sian-hughes' AND subject IS NULL;
-- channels: IN_PERSON, VIDEO; specialisms: "Higher education"
UPDATE advisers SET subject = 'demo-adviser-rhys-evans', email = 'rhys.evans@careerswales.example',
  language_codes = 'en,cy',
  details = X'2A020102321048696768657220656475636174696F6E'
  WHERE id = 'rhys-evans' AND subject IS NULL;

-- Locations; `details` is a serialized careers.v1.Location with the address
-- and accessibility (text form in the comments).
INSERT IGNORE INTO locations (id, organisation_id, display_name, kind, time_zone, details, create_time, update_time) VALUES
  -- address { lines: "1 Demo Wynd" town: "Edinburgh" postcode: "EH6 6AA" }
  -- accessibility: STEP_FREE_ACCESS, HEARING_LOOP, ACCESSIBLE_TOILET
  ('leith-careers-centre', 'sds', 'Leith careers centre', 'CENTRE', 'Europe/London',
   X'2A210A0B312044656D6F2057796E6412094564696E62757267681A07454836203641413A03010203',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  -- address { lines: "Leith Academy, Academy Park" town: "Edinburgh" postcode: "EH6 8JQ" }
  -- accessibility: STEP_FREE_ACCESS
  ('leith-academy-careers-room', 'leith-academy', 'Leith Academy careers room', 'SCHOOL', 'Europe/London',
   X'2A310A1B4C656974682041636164656D792C2041636164656D79205061726B12094564696E62757267681A0745483620384A513A0101',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  -- address { lines: "2 Heol Enghraifft" town: "Caerdydd / Cardiff" postcode: "CF10 1AA" }
  -- accessibility: QUIET_ROOM, PARKING
  ('cardiff-careers-centre', 'careers-wales', 'Canolfan Gyrfa Caerdydd / Cardiff careers centre', 'CENTRE', 'Europe/London',
   X'2A310A11322048656F6C20456E676872616966667412124361657264796464202F20436172646966661A0843463130203141413A020405',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('careers-wales-online', 'careers-wales', 'Careers Wales ar-lein / online', 'VIRTUAL', 'Europe/London',
   NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
