class CreateTiles < ActiveRecord::Migration[4.2]
  # openstreetmap's early migrations declare the key as a column of a table created
  # without one; ActiveRecord keeps its PRIMARY KEY.
  def self.up
    create_table "tiles", :id => false do |t| # want: none
      t.column "id",   :bigserial, :primary_key => true, :null => false
      t.column "name", :string, :limit => 64
    end
  end

  def self.down
    drop_table "tiles"
  end
end
