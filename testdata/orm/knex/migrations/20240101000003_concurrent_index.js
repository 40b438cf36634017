// Knex has no CONCURRENTLY: raw SQL, with the migration's transaction turned off.
exports.config = { transaction: false }

exports.up = async (knex) => {
  await knex.raw('CREATE INDEX CONCURRENTLY users_age_idx ON users (age)') // want: none
  await knex.raw('DROP INDEX CONCURRENTLY users_name_index') // want: dropping-index
}

exports.down = async (knex) => {
  await knex.raw('CREATE INDEX CONCURRENTLY users_name_index ON users (name)')
  await knex.raw('DROP INDEX CONCURRENTLY users_age_idx')
}
