class RemoveIndexBlocking < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    remove_index :posts, :title # want: require-concurrent-index-deletion, dropping-index
  end
end
