# The NOT NULL recipe: a NOT VALID check, validated later, lets SET NOT NULL skip its scan.
class NotNullRecipe < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def up
    add_check_constraint :users, "email IS NOT NULL", name: "users_email_null", validate: false # want: none
    validate_check_constraint :users, name: "users_email_null" # want: none
    change_column_null :users, :email, false # want: none
    remove_check_constraint :users, name: "users_email_null" # want: none
  end

  def down
    change_column_null :users, :email, true
  end
end
