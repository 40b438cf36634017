exports.up = async (knex) => {
  await knex.raw('CREATE INDEX CONCURRENTLY users_email_idx ON users (email)') // want: concurrently-in-transaction
}

exports.down = async (knex) => {
  await knex.raw('DROP INDEX users_email_idx')
}
