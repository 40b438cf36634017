exports.up = function (knex) {
  return knex.schema
    .createTable('projects', (t) => { // want: foreign-key-missing-index
      t.increments()
      t.string('name').notNullable()
      t.integer('owner_id').references('id').inTable('users')
      t.timestamps(true, true)
    })
    .renameTable('orgs', 'organizations') // want: renaming-table
}

exports.down = function (knex) {
  return knex.schema.renameTable('organizations', 'orgs').dropTable('projects')
}
