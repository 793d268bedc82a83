-- The skills taxonomy (careers.v1.Skill): SDS meta-skills (seeded here),
-- ESCO (imported in bulk) and custom skills added by organisations.
-- Columns hold what is filtered, sorted or searched on; `details` holds the
-- skill as a serialized careers.v1.Skill without its name and times (those
-- come from id, create_time and update_time).
--
-- Search: `search_text` is every label and alternative label, one a line,
-- under a FULLTEXT index. ListSkills asks for each word of the query as a
-- prefix in boolean mode (`+commun*`); InnoDB compares index tokens in the
-- column's collation, so case and accents are ignored ("cafe" finds
-- "Café"). sort_cy / sort_gd are the Welsh / Gaelic label, or the English
-- one where there is none: what a list in that language is ordered by.

CREATE TABLE skills (
  id              VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  framework       VARCHAR(24) CHARACTER SET ascii NOT NULL,
  organisation_id VARCHAR(63) CHARACTER SET ascii COLLATE ascii_bin NULL,
  skill_group     VARCHAR(200) NOT NULL DEFAULT '',
  label_en        VARCHAR(300) NOT NULL,
  label_cy        VARCHAR(300) NULL,
  label_gd        VARCHAR(300) NULL,
  search_text     MEDIUMTEXT NOT NULL,
  details         MEDIUMBLOB NOT NULL,
  version         BIGINT UNSIGNED NOT NULL DEFAULT 1,
  create_time     DATETIME(6) NOT NULL,
  update_time     DATETIME(6) NOT NULL,
  sort_cy         VARCHAR(300) GENERATED ALWAYS AS (COALESCE(label_cy, label_en)) STORED,
  sort_gd         VARCHAR(300) GENERATED ALWAYS AS (COALESCE(label_gd, label_en)) STORED,
  PRIMARY KEY (id),
  KEY skills_by_label_en (label_en, id),
  KEY skills_by_label_cy (sort_cy, id),
  KEY skills_by_label_gd (sort_gd, id),
  KEY skills_by_framework (framework, label_en, id),
  KEY skills_by_group (skill_group, label_en, id),
  KEY skills_by_organisation (organisation_id, label_en, id),
  FULLTEXT KEY skills_search (search_text),
  CONSTRAINT skills_organisation_fk
    FOREIGN KEY (organisation_id) REFERENCES organisations (id),
  CONSTRAINT skills_custom_has_organisation
    CHECK ((framework = 'CUSTOM') = (organisation_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The 12 meta-skills of Skills Development Scotland, in English. `details`
-- is careers.v1.Skill {framework: SDS_META_SKILLS, labels {language_code:
-- "en" text: LABEL}, group: GROUP} as protoc --encode writes it.
INSERT INTO skills (id, framework, label_en, skill_group, search_text, details,
                    create_time, update_time) VALUES
  ('sds-focusing', 'SDS_META_SKILLS', 'Focusing', 'Self-management', 'Focusing',
   X'1001220e0a02656e1208466f637573696e67320f53656c662d6d616e6167656d656e74',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-integrity', 'SDS_META_SKILLS', 'Integrity', 'Self-management', 'Integrity',
   X'1001220f0a02656e1209496e74656772697479320f53656c662d6d616e6167656d656e74',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-adapting', 'SDS_META_SKILLS', 'Adapting', 'Self-management', 'Adapting',
   X'1001220e0a02656e12084164617074696e67320f53656c662d6d616e6167656d656e74',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-initiative', 'SDS_META_SKILLS', 'Initiative', 'Self-management', 'Initiative',
   X'100122100a02656e120a496e6974696174697665320f53656c662d6d616e6167656d656e74',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-communicating', 'SDS_META_SKILLS', 'Communicating', 'Social intelligence',
   'Communicating',
   X'100122130a02656e120d436f6d6d756e69636174696e673213536f6369616c20696e74656c6c6967656e6365',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-feeling', 'SDS_META_SKILLS', 'Feeling', 'Social intelligence', 'Feeling',
   X'1001220d0a02656e12074665656c696e673213536f6369616c20696e74656c6c6967656e6365',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-collaborating', 'SDS_META_SKILLS', 'Collaborating', 'Social intelligence',
   'Collaborating',
   X'100122130a02656e120d436f6c6c61626f726174696e673213536f6369616c20696e74656c6c6967656e6365',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-leading', 'SDS_META_SKILLS', 'Leading', 'Social intelligence', 'Leading',
   X'1001220d0a02656e12074c656164696e673213536f6369616c20696e74656c6c6967656e6365',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-curiosity', 'SDS_META_SKILLS', 'Curiosity', 'Innovation', 'Curiosity',
   X'1001220f0a02656e1209437572696f73697479320a496e6e6f766174696f6e',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-creativity', 'SDS_META_SKILLS', 'Creativity', 'Innovation', 'Creativity',
   X'100122100a02656e120a43726561746976697479320a496e6e6f766174696f6e',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-sense-making', 'SDS_META_SKILLS', 'Sense-making', 'Innovation', 'Sense-making',
   X'100122120a02656e120c53656e73652d6d616b696e67320a496e6e6f766174696f6e',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),
  ('sds-critical-thinking', 'SDS_META_SKILLS', 'Critical thinking', 'Innovation',
   'Critical thinking',
   X'100122170a02656e1211437269746963616c207468696e6b696e67320a496e6e6f766174696f6e',
   UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
