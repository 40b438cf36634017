# validate: false, then validate_foreign_key in its own transaction: the safe pattern.
class ForeignKeysSafe < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_foreign_key :posts, :users, validate: false # want: none
    validate_foreign_key :posts, :users # want: none
  end
end
