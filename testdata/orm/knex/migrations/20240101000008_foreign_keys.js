exports.up = function (knex) {
  return knex.schema
    .alterTable('users', (t) => {
      t.foreign('org_id').references('id').inTable('orgs').onDelete('CASCADE') // want: adding-foreign-key-constraint, foreign-key-cascade, statements-after-access-exclusive
      t.integer('manager_id').unsigned()
      t.foreign('manager_id', 'users_manager_fk').references('users.id').deferrable('deferred') // want: adding-foreign-key-constraint
    })
    .createTable('memberships', (t) => { // want: none
      t.integer('user_id').notNullable().references('users.id')
      t.integer('org_id').notNullable()
      t.foreign('org_id').references('orgs.id').withKeyName('memberships_org_fk') // want: foreign-key-missing-index
      t.primary(['user_id', 'org_id'])
    })
}

exports.down = function (knex) {
  return knex.schema
    .dropTable('memberships')
    .alterTable('users', (t) => {
      t.dropForeign('manager_id', 'users_manager_fk')
      t.dropColumn('manager_id')
      t.dropForeign(['org_id'])
    })
}
