class CreateComments < ActiveRecord::Migration[6.1]
  def change
    create_table :comments do |t| # want: none
      t.string :body, null: false
      t.references :post, foreign_key: true
      t.timestamps
    end
    add_index :comments, :body # want: none
  end
end
