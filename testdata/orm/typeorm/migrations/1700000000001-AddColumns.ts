import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm'

export class AddColumns1700000000001 implements MigrationInterface {
    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "users" ADD "nickname" character varying(40)`) // want: none
        // TableColumn is NOT NULL unless isNullable: true.
        await queryRunner.addColumn('users', new TableColumn({ name: 'phone', type: 'varchar' })) // want: adding-required-column
        await queryRunner.addColumn('users', new TableColumn({ name: 'plan', type: 'varchar', default: "'free'" })) // want: none
        await queryRunner.query(`CREATE INDEX "IDX_users_email" ON "users" ("email")`) // want: require-concurrent-index-creation, statements-after-access-exclusive
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_users_email"`)
        await queryRunner.dropColumn('users', 'plan')
        await queryRunner.dropColumn('users', 'phone')
        await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "nickname"`)
    }
}
