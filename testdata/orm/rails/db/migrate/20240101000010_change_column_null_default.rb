# change_column_null with a default backfills NULLs first, in the same transaction.
class ChangeColumnNullWithDefault < ActiveRecord::Migration[6.1]
  def change
    change_column_null :users, :name, false, "anonymous" # want: unbatched-backfill, setting-not-null, mixed-schema-and-data-change
  end
end
