CREATE TABLE "Users" (id bigint PRIMARY KEY);
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE SCHEMA app;
CREATE TABLE app.accounts (id bigint PRIMARY KEY);
