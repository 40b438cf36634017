class RemoveReferences < ActiveRecord::Migration[6.1]
  def change
    add_reference :tags, :owner, foreign_key: { to_table: :users }, type: :integer # want: adding-foreign-key-constraint, require-concurrent-index-creation, statements-after-access-exclusive
    remove_reference :tags, :owner, foreign_key: { to_table: :users }, index: true, type: :integer
    add_reference :posts, :reviewer, index: false
    add_foreign_key :posts, :users, column: :reviewer_id, validate: false, name: :fk_posts_reviewer
    validate_foreign_key :posts, name: :fk_posts_reviewer # want: validate-in-same-transaction
  end
end
