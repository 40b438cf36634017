class ChangeColumns < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def up
    change_column :users, :age, :bigint # want: changing-column-type
    change_column_default :users, :status, "active" # want: none
    change_column_null :users, :email, false # want: setting-not-null
  end

  def down
    change_column_null :users, :email, true
    change_column_default :users, :status, nil
    change_column :users, :age, :integer
  end
end
