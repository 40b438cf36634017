class IrreversibleDown < ActiveRecord::Migration[6.1]
  def up
    add_column :posts, :views, :bigint # want: none
  end

  def down
    raise ActiveRecord::IrreversibleMigration # want: missing-down-migration
  end
end
