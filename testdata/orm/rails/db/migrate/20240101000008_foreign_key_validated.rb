class ForeignKeyValidated < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_foreign_key :posts, :users # want: adding-foreign-key-constraint
  end
end
