class CreateEvents < ActiveRecord::Migration[6.1]
  def change
    create_table :events do |t| # want: none
      t.string :kind
      t.references :user, foreign_key: true
    end
  end
end
