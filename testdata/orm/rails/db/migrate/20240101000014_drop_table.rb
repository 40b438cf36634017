class DropTags < ActiveRecord::Migration[6.1]
  def change
    drop_table :tags # want: dropping-table, removing-used-object, missing-down-migration
  end
end
