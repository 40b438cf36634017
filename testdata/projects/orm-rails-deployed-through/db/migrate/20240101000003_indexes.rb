class Indexes < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    # events comes from 20240101000002, after deployed_through: pending, so new and
    # empty when this migration runs.
    add_index :events, :kind # want: none
    add_column :events, :note, :text, null: false # want: none
    # users and accounts are deployed.
    add_index :users, :email # want: require-concurrent-index-creation
    add_column :users, :note, :text, null: false # want: adding-required-column
    add_index :accounts, :name # want: require-concurrent-index-creation
  end
end
