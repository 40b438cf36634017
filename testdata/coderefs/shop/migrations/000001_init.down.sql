DROP TABLE pets;
DROP TABLE orders;
DROP TABLE users;
DROP TABLE accounts;
