'use strict'

module.exports = {
  async up(queryInterface) {
    await queryInterface.sequelize.query(`UPDATE users SET name = 'anonymous' WHERE name IS NULL`) // want: unbatched-backfill
    await queryInterface.renameTable('orgs', 'organizations') // want: renaming-table
    await queryInterface.removeColumn('users', 'legacy') // want: dropping-column, removing-used-object
  },
}
// want-file: missing-down-migration
