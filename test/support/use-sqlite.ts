// Setup file of the `sqlite` jest project: database suites run on the embedded SQLite.
process.env.TEST_DB = 'sqlite';
