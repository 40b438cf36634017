// The Node ORM oracle: runs each Knex, Sequelize or TypeORM migration file given
// against a fresh PostgreSQL database cloned from a template, the way each ORM's
// migrator runs it (Knex: in a transaction unless config.transaction is false;
// Sequelize's CLI: no transaction; TypeORM: in a transaction unless the migration sets
// transaction = false), then runs its down, and prints the SQL the ORM sent for each
// direction as JSON on stdout.
//
//   node oracle.js knex|sequelize|typeorm SOCKET_DIR TEMPLATE_DB FILE...
'use strict'
const fs = require('fs')
const path = require('path')
const { Client } = require('pg')

const [orm, socket, template, ...files] = process.argv.slice(2)

async function freshDatabase(name) {
  const admin = new Client({ host: socket, user: 'postgres', database: 'postgres' })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`)
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
  await admin.end()
}

function firstLine(e) {
  return String((e && e.message) || e).split('\n')[0]
}

// load requires a migration; TypeScript is transpiled to CommonJS first.
function load(file) {
  const abs = path.resolve(file)
  if (!abs.endsWith('.ts')) return require(abs)
  const ts = require('typescript')
  const out = ts.transpileModule(fs.readFileSync(abs, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, experimentalDecorators: true },
  }).outputText
  // Beside this script, so the migration's require('typeorm') finds node_modules.
  const tmp = path.join(__dirname, `.transpiled-${process.pid}-${path.basename(abs, '.ts')}.js`)
  fs.writeFileSync(tmp, out)
  try {
    return require(tmp)
  } finally {
    fs.unlinkSync(tmp)
  }
}

async function runKnex(file, db) {
  const knex = require('knex')({ client: 'pg', connection: { host: socket, user: 'postgres', database: db } })
  const m = load(file)
  let sqls = []
  // The query builder's values are shown as Knex formats them into the SQL (the
  // translation writes the literals of the migration); raw SQL keeps its $n.
  knex.on('query', (q) => sqls.push(q.method !== 'raw' && q.bindings && q.bindings.length
    ? q.sql.replace(/\$(\d+)/g, (_, n) => knex.raw('?', [q.bindings[n - 1]]).toQuery())
    : knex.client.positionBindings(q.sql)))
  const wraps = !(m.config && m.config.transaction === false)
  const result = { file }
  for (const dir of ['up', 'down']) {
    sqls = []
    try {
      if (typeof m[dir] === 'function') {
        if (wraps) await knex.transaction(async (trx) => { await m[dir](trx) })
        else await m[dir](knex)
      }
    } catch (e) {
      result[dir + 'Error'] = firstLine(e)
    }
    result[dir] = sqls
    if (result[dir + 'Error']) break
  }
  await knex.destroy()
  return result
}

async function runSequelize(file, db) {
  const { Sequelize } = require('sequelize')
  let sqls = []
  const sequelize = new Sequelize(db, 'postgres', null, {
    host: socket, dialect: 'postgres',
    logging: (msg) => sqls.push(msg.replace(/^Executing \([^)]*\): /, '')),
  })
  const m = load(file)
  const qi = sequelize.getQueryInterface()
  const result = { file }
  for (const dir of ['up', 'down']) {
    sqls = []
    try {
      if (typeof m[dir] === 'function') await m[dir](qi, Sequelize)
    } catch (e) {
      result[dir + 'Error'] = firstLine(e)
    }
    result[dir] = sqls
    if (result[dir + 'Error']) break
  }
  await sequelize.close()
  return result
}

async function runTypeORM(file, db) {
  require('reflect-metadata')
  const { DataSource } = require('typeorm')
  let sqls = []
  const logger = {
    logQuery: (q) => sqls.push(q), logQueryError: () => {}, logQuerySlow: () => {},
    logSchemaBuild: () => {}, logMigration: () => {}, log: () => {},
  }
  const ds = new DataSource({ type: 'postgres', host: socket, username: 'postgres', database: db, logger, logging: true })
  await ds.initialize()
  const mod = load(file)
  const Cls = Object.values(mod).find((v) => typeof v === 'function' && v.prototype && v.prototype.up)
  const migration = new Cls()
  const result = { file }
  for (const dir of ['up', 'down']) {
    const qr = ds.createQueryRunner()
    sqls = []
    try {
      const wraps = migration.transaction !== false
      if (wraps) await qr.startTransaction()
      try {
        await migration[dir](qr)
        if (wraps) await qr.commitTransaction()
      } catch (e) {
        if (wraps) await qr.rollbackTransaction()
        throw e
      }
    } catch (e) {
      result[dir + 'Error'] = firstLine(e)
    }
    await qr.release()
    result[dir] = sqls
    if (result[dir + 'Error']) break
  }
  await ds.destroy()
  return result
}

const runners = { knex: runKnex, sequelize: runSequelize, typeorm: runTypeORM }

;(async () => {
  const out = []
  for (const [i, file] of files.entries()) {
    const db = `${orm}_oracle_${i}`
    await freshDatabase(db)
    out.push(await runners[orm](file, db))
  }
  process.stdout.write(JSON.stringify(out))
})().catch((e) => {
  console.error(e)
  process.exit(1)
})
