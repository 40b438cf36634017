class References < ActiveRecord::Migration[6.1]
  def change
    add_reference :posts, :attachable, polymorphic: true, index: true # want: require-concurrent-index-creation, statements-after-access-exclusive
    add_reference :tags, :owner, foreign_key: { to_table: :users, on_delete: :cascade }, null: false, type: :integer # want: adding-foreign-key-constraint, adding-required-column, foreign-key-cascade, require-concurrent-index-creation
    add_belongs_to :users, :team, index: { unique: true } # want: require-concurrent-index-creation
    change_table :posts do |t|
      t.references :reviewer, foreign_key: { to_table: :users } # want: adding-foreign-key-constraint, require-concurrent-index-creation
      t.belongs_to :tag, index: false
      t.remove_references :attachable, polymorphic: true, index: true
    end
  end
end
