import { MigrationInterface, QueryRunner, TableForeignKey } from 'typeorm'

export class Constraints1700000000004 implements MigrationInterface {
    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`SET LOCAL lock_timeout = '5s'`) // want: none
        await queryRunner.createForeignKey('users', new TableForeignKey({ columnNames: ['org_id'], referencedTableName: 'orgs', referencedColumnNames: ['id'] })) // want: adding-foreign-key-constraint
        await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL`) // want: setting-not-null
        await queryRunner.renameColumn('users', 'legacy', 'notes') // want: renaming-column
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.renameColumn('users', 'notes', 'legacy')
        await queryRunner.query(`ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL`)
        await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_0a13270cd3101fd16b8000e00d4"`)
    }
}
