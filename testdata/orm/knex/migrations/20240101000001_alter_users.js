// alterTable inside the migration's transaction.
exports.up = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.string('nickname', 40) // want: none
    table.string('phone').notNullable() // want: adding-required-column
    table.string('plan').notNullable().defaultTo('free') // want: none
    table.index(['email']) // want: require-concurrent-index-creation, statements-after-access-exclusive
  })
}

exports.down = function (knex) {
  return knex.schema.alterTable('users', (table) => {
    table.dropIndex(['email'])
    table.dropColumn('plan')
    table.dropColumn('phone')
    table.dropColumn('nickname')
  })
}
