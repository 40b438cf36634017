# remove_column without a type cannot be reversed by change.
class RemoveColumnIrreversible < ActiveRecord::Migration[6.1]
  def change
    remove_column :users, :score # want: dropping-column, removing-used-object, missing-down-migration
  end
end
