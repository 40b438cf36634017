// wiki.js deletes rows by literal values; they go in the SQL, where a trace can run them.
exports.up = async function (knex) {
  await knex.schema.createTable('authentication', (t) => { // want: none
    t.string('key').primary()
    t.boolean('isEnabled').notNullable().defaultTo(false)
    t.integer('order')
  })
  await knex('authentication').where({ isEnabled: false }).del()
  await knex('authentication').whereIn('key', ['local', "it's"]).andWhere('order', '>', 3).update({ isEnabled: true, order: null })
}

exports.down = async function (knex) {
  await knex.schema.dropTable('authentication')
}
