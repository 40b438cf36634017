class RemoveColumnWithType < ActiveRecord::Migration[6.1]
  def change
    remove_column :users, :legacy, :text # want: dropping-column, removing-used-object
  end
end
