CREATE TABLE accounts (id integer PRIMARY KEY, name varchar(100), code varchar(20), note varchar(50), seen timestamp, amount numeric(10, 2), label text);
