class Renames < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    rename_column :users, :legacy, :notes # want: renaming-column
    rename_table :tags, :labels # want: renaming-table
  end
end
