// Setup file of the `mysql` jest project: database suites run on MySQL/MariaDB (TEST_MYSQL_URL).
process.env.TEST_DB = 'mysql';
