'use strict'

module.exports = {
  async up(queryInterface, Sequelize) {
    // changeColumn sends its ALTERs as one query: one implicit transaction.
    await queryInterface.changeColumn('users', 'age', { type: Sequelize.BIGINT, allowNull: false }) // want: setting-not-null, changing-column-type
    await queryInterface.renameColumn('users', 'legacy', 'notes') // want: renaming-column
    await queryInterface.addConstraint('users', { fields: ['email'], type: 'unique', name: 'users_email_uk' }) // want: adding-unique-constraint
    await queryInterface.addConstraint('users', { fields: ['org_id'], type: 'foreign key', references: { table: 'orgs', field: 'id' }, onDelete: 'cascade' }) // want: adding-foreign-key-constraint, foreign-key-cascade
  },

  async down(queryInterface, Sequelize) {
    await queryInterface.removeConstraint('users', 'users_org_id_orgs_fk')
    await queryInterface.removeConstraint('users', 'users_email_uk')
    await queryInterface.renameColumn('users', 'notes', 'legacy')
    await queryInterface.changeColumn('users', 'age', { type: Sequelize.INTEGER, allowNull: true })
  },
}
