import { MigrationInterface, QueryRunner } from 'typeorm'

export class Data1700000000005 implements MigrationInterface {
    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "users" SET "name" = 'anonymous' WHERE "name" IS NULL`) // want: unbatched-backfill
        await queryRunner.dropColumn('users', 'legacy') // want: dropping-column, removing-used-object, mixed-schema-and-data-change
    }

    public async down(queryRunner: QueryRunner): Promise<void> {} // want: empty-down-migration
}
