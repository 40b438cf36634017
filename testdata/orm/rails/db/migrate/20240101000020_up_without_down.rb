class UpWithoutDown < ActiveRecord::Migration[6.1]
  def up
    add_column :posts, :summary, :text # want: none
  end
end
# want-file: missing-down-migration
