'use strict'

// sequelize-cli runs migrations without a transaction.
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.addColumn('users', 'nickname', { type: Sequelize.STRING(40) }) // want: none
    await queryInterface.addColumn('users', 'phone', { type: Sequelize.STRING, allowNull: false }) // want: adding-required-column
    await queryInterface.addColumn('users', 'plan', { type: Sequelize.STRING, allowNull: false, defaultValue: 'free' }) // want: none
    await queryInterface.addIndex('users', ['email']) // want: require-concurrent-index-creation
    await queryInterface.addIndex('users', ['age'], { concurrently: true }) // want: none
  },

  async down(queryInterface) {
    await queryInterface.removeIndex('users', ['age'], { concurrently: true })
    await queryInterface.removeIndex('users', ['email'])
    await queryInterface.removeColumn('users', 'plan')
    await queryInterface.removeColumn('users', 'phone')
    await queryInterface.removeColumn('users', 'nickname')
  },
}
