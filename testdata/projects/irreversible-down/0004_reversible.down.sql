DROP TABLE totals;
