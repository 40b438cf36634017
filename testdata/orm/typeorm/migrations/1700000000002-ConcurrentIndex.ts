import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm'

// CREATE INDEX CONCURRENTLY needs the migration's transaction off.
export class ConcurrentIndex1700000000002 implements MigrationInterface {
    transaction = false

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.createIndex('users', new TableIndex({ name: 'IDX_users_age', columnNames: ['age'], isConcurrent: true })) // want: none
        await queryRunner.query(`DROP INDEX CONCURRENTLY "users_name_index"`) // want: dropping-index
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX CONCURRENTLY "users_name_index" ON "users" ("name")`)
        await queryRunner.query(`DROP INDEX CONCURRENTLY "IDX_users_age"`)
    }
}
