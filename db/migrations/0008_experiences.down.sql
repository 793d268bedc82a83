DROP TABLE attestations;
DROP TABLE experience_skills;
DROP TABLE experiences;
