DROP TABLE "tägs";
