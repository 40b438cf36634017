import { MigrationInterface, QueryRunner, TableColumn, TableForeignKey } from 'typeorm'

export class Relations1700000000006 implements MigrationInterface {
    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.addColumn('users', new TableColumn({ name: 'manager_id', type: 'int', isNullable: true }))
        await queryRunner.createForeignKey('users', new TableForeignKey({ name: 'users_manager_fk', columnNames: ['manager_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'SET NULL', deferrable: 'INITIALLY DEFERRED' })) // want: adding-foreign-key-constraint, foreign-key-cascade, statements-after-access-exclusive
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.dropColumn('users', 'manager_id')
    }
}
