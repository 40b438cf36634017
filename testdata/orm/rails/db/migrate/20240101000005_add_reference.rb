class AddReferences < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_reference :posts, :editor, index: false # want: none
    add_reference :posts, :author, index: { algorithm: :concurrently }, foreign_key: { to_table: :users } # want: adding-foreign-key-constraint
  end
end
