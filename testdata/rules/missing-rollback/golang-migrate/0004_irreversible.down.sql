DROP TABLE drafts;
DROP TABLE authors;
