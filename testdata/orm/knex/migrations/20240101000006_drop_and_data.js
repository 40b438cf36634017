exports.up = async function (knex) {
  await knex('users').update({ name: 'anonymous' }).whereNull('name') // want: unbatched-backfill
  await knex('users').where('id', '<', 1000).update({ age: 0 }) // want: none
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('legacy') // want: dropping-column, removing-used-object, mixed-schema-and-data-change
  })
}

exports.down = function (knex) {}
// want-file: empty-down-migration
