-- The tables the Sequelize fixtures change.
CREATE TABLE users (id serial PRIMARY KEY, email varchar(255), name varchar(255), age integer, legacy text, org_id integer);
CREATE TABLE orgs (id serial PRIMARY KEY, name varchar(255));
CREATE INDEX users_name_index ON users (name);
