# change_column and change_column_default without from:/to: cannot be reversed.
class ChangeIrreversible < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    change_column :users, :status, :text # want: changing-column-type, missing-down-migration
    change_column_default :users, :age, 0 # want: missing-down-migration
    change_column_default :users, :score, from: nil, to: 0 # want: none
  end
end
