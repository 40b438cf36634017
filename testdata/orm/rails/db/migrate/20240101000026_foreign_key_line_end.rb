# An add_foreign_key that ends its line (no comment after it), in the old hash
# syntax: its fix writes validate: false and the validate_foreign_key call after it
# at the same offset.
class ForeignKeyLineEnd < ActiveRecord::Migration[6.1]
  def change
    # want: adding-foreign-key-constraint
    add_foreign_key :posts, :users, :name => "posts_user_id_fkey"
  end
end
