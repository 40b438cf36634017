# The safe form: algorithm: :concurrently with the transaction turned off.
class AddIndexConcurrently < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_index :users, :email, unique: true, algorithm: :concurrently # want: none
    remove_index :users, :name, algorithm: :concurrently # want: dropping-index
  end
end
