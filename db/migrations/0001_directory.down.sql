DROP TABLE advisers;
DROP TABLE organisations;
