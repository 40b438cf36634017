class ReversibleBlock < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_column :users, :region, :string # want: none
    reversible do |dir|
      dir.up { execute "UPDATE users SET region = 'eu' WHERE id < 1000" } # want: none
      dir.down { execute "UPDATE users SET region = NULL" }
    end
  end
end
