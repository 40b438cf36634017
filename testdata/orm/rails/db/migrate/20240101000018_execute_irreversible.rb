class ExecuteInChange < ActiveRecord::Migration[6.1]
  def change
    execute "UPDATE users SET status = 'active' WHERE status IS NULL" # want: unbatched-backfill, missing-down-migration
  end
end
