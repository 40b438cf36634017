'use strict'

module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addConstraint('users', { fields: ['org_id'], type: 'foreign key', references: { table: 'orgs', field: 'id' }, onDelete: 'cascade', onUpdate: 'cascade' }) // want: adding-foreign-key-constraint, foreign-key-cascade
    await queryInterface.addColumn('users', 'manager_id', { type: Sequelize.INTEGER, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' }) // want: foreign-key-cascade
    await queryInterface.addConstraint('users', { fields: ['manager_id'], type: 'foreign key', name: 'users_manager_fk', references: { table: 'users', field: 'id' } }) // want: adding-foreign-key-constraint
  },

  async down(queryInterface) {
    await queryInterface.removeConstraint('users', 'users_manager_fk')
    await queryInterface.removeColumn('users', 'manager_id')
    await queryInterface.removeConstraint('users', 'users_org_id_orgs_fk')
  },
}
