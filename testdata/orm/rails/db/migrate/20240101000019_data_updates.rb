# Data changes through models: one statement vs batches.
class BackfillStatus < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  class Account < ActiveRecord::Base
    self.table_name = "accounts"
  end

  def up
    Account.where(status: nil).in_batches(of: 1000).update_all(status: "active") # want: none
    Account.update_all(status: "active") # want: unbatched-backfill
  end

  def down # want: empty-down-migration
  end
end
