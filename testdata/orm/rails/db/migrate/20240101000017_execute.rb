# Raw SQL is analysed as SQL, positions inside the string.
class ExecuteSQL < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def up
    execute "SET lock_timeout = '5s'" # want: none
    execute <<~SQL
      CREATE INDEX CONCURRENTLY index_posts_on_body ON posts (body); -- want: none
    SQL
    execute "ALTER TABLE posts ALTER COLUMN body SET NOT NULL" # want: setting-not-null
  end

  def down
    execute "ALTER TABLE posts ALTER COLUMN body DROP NOT NULL"
    execute "DROP INDEX CONCURRENTLY index_posts_on_body"
  end
end
