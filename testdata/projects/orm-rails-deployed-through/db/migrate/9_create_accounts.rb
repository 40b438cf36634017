class CreateAccounts < ActiveRecord::Migration[6.1]
  def change
    create_table :accounts do |t| # want: none
      t.string :name
    end
  end
end
