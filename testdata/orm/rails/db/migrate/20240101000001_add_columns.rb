# add_column, one statement per migration transaction so each stands alone.
class AddColumns < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_column :users, :nickname, :string # want: none
    add_column :users, :phone, :string, null: false # want: adding-required-column
    add_column :users, :plan, :string, null: false, default: "free" # want: none
    add_column :users, :token, :uuid, default: -> { "gen_random_uuid()" } # want: adding-field-with-rewrite
    add_column :users, :visits, :integer, limit: 8, default: 0 # want: none
  end
end
