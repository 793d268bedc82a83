DROP TABLE actions;
DROP TABLE goals;
DROP TABLE profiles;
