class CreateUsers < ActiveRecord::Migration[6.1]
  def change
    create_table :users do |t| # want: none
      t.string :email
    end
  end
end
