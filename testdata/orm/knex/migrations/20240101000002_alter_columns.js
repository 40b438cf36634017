exports.up = async (knex) => {
  await knex.schema.alterTable('users', (t) => {
    t.bigInteger('age').alter() // want: changing-column-type
    t.renameColumn('legacy', 'notes') // want: renaming-column
  })
  await knex.schema.alterTable('users', (t) => {
    t.foreign('org_id').references('orgs.id').onDelete('CASCADE') // want: adding-foreign-key-constraint, foreign-key-cascade, statements-after-access-exclusive
    t.unique(['email']) // want: adding-unique-constraint
  })
}

exports.down = async (knex) => {
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['email'])
    t.dropForeign('org_id')
    t.renameColumn('notes', 'legacy')
    t.integer('age').alter()
  })
}
