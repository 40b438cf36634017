class ForeignKeysInTransaction < ActiveRecord::Migration[6.1]
  def change
    add_foreign_key :posts, :users, validate: false, on_delete: :cascade # want: foreign-key-cascade
    validate_foreign_key :posts, :users # want: validate-in-same-transaction
  end
end
