# add_index inside the migration's transaction.
class AddIndexInTransaction < ActiveRecord::Migration[6.1]
  def change
    add_index :users, :email # want: require-concurrent-index-creation
    add_index :users, [:status, :age], algorithm: :concurrently, where: "age > 0" # want: concurrently-in-transaction
  end
end
