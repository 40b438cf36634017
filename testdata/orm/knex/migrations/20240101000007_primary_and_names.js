// A column's .primary() is the table's primary key (wiki.js keys its settings tables
// by a string), and the names Knex makes up for indexes and constraints are
// lower-cased: settingsStore's foreign key is settingsstore_ownerid_foreign. A branch
// on the database, directly or through a const object, is the branch PostgreSQL
// takes.
exports.up = function (knex) {
  const compat = { textLength: knex.client.config.client === 'mysql' || knex.client.config.client === 'mariadb' }
  return knex.schema
    .createTable('settingsStore', (t) => { // want: none
      t.string('key').notNullable().primary()
      t.integer('ownerId').references('id').inTable('users')
      t.index(['ownerId'])
    })
    .createTable('tokens', (t) => { // want: none
      t.increments('id').primary()
      if (knex.client.config.client === 'mysql') {
        t.specificType('data', 'LONGBLOB').notNullable()
      } else {
        t.binary('data').notNullable()
      }
      if (compat.textLength) {
        t.specificType('note', 'LONGTEXT')
      } else {
        t.text('note')
      }
    })
    .alterTable('users', (t) => {
      t.string('nickName').unique() // want: adding-unique-constraint
    })
}

exports.down = function (knex) {
  return knex.schema
    .alterTable('users', (t) => {
      t.dropUnique(['nickName'])
      t.dropColumn('nickName')
    })
    .dropTable('tokens')
    .dropTable('settingsStore')
}
