class CheckConstraints < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_check_constraint :users, "age >= 0", name: "age_nonnegative" # want: constraint-missing-not-valid
    add_check_constraint :users, "score >= 0", name: "score_nonnegative", validate: false # want: none
  end
end
